using StaticGraph.Models;
using StaticGraph.Ops;
using StaticGraph.Regularizers;

namespace StaticGraph.Tests.Cuda;

/// <summary>
/// The training programs the library's users run: every model of the zoo, every regularizer variant a model takes, and
/// every training objective, built at a chosen dtype, batch and image size. The CUDA tests plan all of them, so "every
/// kernel the backend can generate" is a list this class makes, not one kept by hand.
/// </summary>
internal static class ModelPrograms
{
    /// <summary>A named training program builder.</summary>
    public sealed record Case(string Name, string Model, RegularizerSettings Regularizers, int Channels = 3)
    {
        public override string ToString() => Name;

        /// <summary>The training program (Nesterov SGD, constant learning rate) and the logits.</summary>
        public (GraphProgram Training, GraphProgram Inference) Build(DType dtype, int batch, int size)
        {
            var b = new GraphBuilder(dtype);
            var images = b.Input("image", dtype, batch, Channels, size, size);
            var labels = b.Input("label", DType.I32, batch);
            var model = ModelZoo.Get(Model, Regularizers);
            var (loss, logits) = RegularizerCatalog.Objective(Regularizers).Build(b, x => model(b, x, 10), images, labels, 10);
            return (Autodiff.Train(loss, new Sgd(0.9, 5e-4, Nesterov: true), Schedule.Constant(0.1), logits), GraphProgram.Inference(logits));
        }
    }

    private static readonly RegularizerSettings Plain = RegularizerSettings.None;

    /// <summary>
    /// One rank's training program of ResNet-preact-20 in a data-parallel run of two (its gradients averaged by
    /// <c>all_reduce</c>): it compiles only with a communicator, so it is kept apart from <see cref="All"/>.
    /// </summary>
    public static GraphProgram DataParallelTraining(DType dtype, int batch, int size)
    {
        var b = new GraphBuilder(dtype);
        var images = b.Input("image", dtype, batch, 3, size, size);
        var labels = b.Input("label", DType.I32, batch);
        var logits = ModelZoo.Get("resnet-preact-20")(b, images, 10);
        var loss = b.SoftmaxCrossEntropy(logits, labels);
        return Autodiff.Train(loss, new Sgd(0.9, 5e-4, Nesterov: true), Schedule.Constant(0.1), new DataParallel(2), logits);
    }

    /// <summary>Every case.</summary>
    public static IEnumerable<Case> All()
    {
        foreach (var model in ModelZoo.Names) yield return new Case(model, model, Plain);
        yield return new Case("resnet-preact-20+stochastic-depth", "resnet-preact-20", Plain.With(StochasticDepthDefinition.Key, 0.8));
        yield return new Case("resnet-preact-20+drop-activation", "resnet-preact-20", Plain.With(DropActivationDefinition.Key, 0.95));
        yield return new Case("wrn-28-10+dropout", "wrn-28-10", Plain.With(DropoutDefinition.Key, 0.3));
        foreach (var forward in Enum.GetValues<ShakeMode>())
            foreach (var backward in Enum.GetValues<ShakeMode>())
                foreach (var level in Enum.GetValues<ShakeLevel>())
                {
                    var shake = new ShakeOptions(forward, backward, level);
                    if (!IsValid(shake)) continue;
                    yield return new Case($"shake-shake-26-2x32d+{shake.Name}", "shake-shake-26-2x32d", Plain.With(ShakeShakeDefinition.Key, null,
                        ("forward", forward.ToString()), ("backward", backward.ToString()), ("image", level == ShakeLevel.Image)));
                }
        foreach (var (name, objective) in Objectives()) yield return new Case($"resnet-preact-20+{name}", "resnet-preact-20", objective);
    }

    /// <summary>Every training objective the command line offers, on its own.</summary>
    public static IEnumerable<(string Name, RegularizerSettings Settings)> Objectives()
    {
        yield return ("cutout", Plain.With("cutout", 8));
        yield return ("random-erasing", Plain.With("random-erasing", 0.5));
        yield return ("mixup", Plain.With("mixup", 1));
        yield return ("cutmix", Plain.With("cutmix", 1));
        yield return ("ricap", Plain.With("ricap", 0.3));
        yield return ("dual-cutout", Plain.With("dual-cutout", 0.1, ("size", 8)));
        yield return ("label-smoothing", Plain.With("label-smoothing", 0.1));
    }

    private static bool IsValid(ShakeOptions o)
    {
        try
        {
            o.Validate();
            return true;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
