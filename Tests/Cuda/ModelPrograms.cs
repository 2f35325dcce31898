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
    public sealed record Case(string Name, string Model, ModelVariant Variant, RegularizerOptions Objective, int Channels = 3)
    {
        public override string ToString() => Name;

        /// <summary>The training program (Nesterov SGD, constant learning rate) and the logits.</summary>
        public (GraphProgram Training, GraphProgram Inference) Build(DType dtype, int batch, int size)
        {
            var b = new GraphBuilder(dtype);
            var images = b.Input("image", dtype, batch, Channels, size, size);
            var labels = b.Input("label", DType.I32, batch);
            var model = ModelZoo.Get(Model, Variant);
            var (loss, logits) = TrainingObjectives.FromOptions(Objective).Build(b, x => model(b, x, 10), images, labels, 10);
            return (Autodiff.Train(loss, new Sgd(0.9, 5e-4, Nesterov: true), Schedule.Constant(0.1), logits), GraphProgram.Inference(logits));
        }
    }

    private static readonly RegularizerOptions Plain = new();

    /// <summary>Every case.</summary>
    public static IEnumerable<Case> All()
    {
        foreach (var model in ModelZoo.Names) yield return new Case(model, model, ModelVariant.Default, Plain);
        yield return new Case("resnet-preact-20+stochastic-depth", "resnet-preact-20", new ModelVariant(StochasticDepthFinalSurvival: 0.8), Plain);
        yield return new Case("resnet-preact-20+drop-activation", "resnet-preact-20", new ModelVariant(DropActivation: 0.95), Plain);
        yield return new Case("wrn-28-10+dropout", "wrn-28-10", new ModelVariant(Dropout: 0.3), Plain);
        foreach (var forward in Enum.GetValues<ShakeMode>())
            foreach (var backward in Enum.GetValues<ShakeMode>())
                foreach (var level in Enum.GetValues<ShakeLevel>())
                {
                    var shake = new ShakeOptions(forward, backward, level);
                    if (!IsValid(shake)) continue;
                    yield return new Case($"shake-shake-26-2x32d+{shake.Name}", "shake-shake-26-2x32d", new ModelVariant(Shake: shake), Plain);
                }
        foreach (var (name, objective) in Objectives()) yield return new Case($"resnet-preact-20+{name}", "resnet-preact-20", ModelVariant.Default, objective);
    }

    /// <summary>Every training objective the command line offers, on its own.</summary>
    public static IEnumerable<(string Name, RegularizerOptions Options)> Objectives()
    {
        yield return ("cutout", new RegularizerOptions { Cutout = 8 });
        yield return ("random-erasing", new RegularizerOptions { RandomErasing = 0.5 });
        yield return ("mixup", new RegularizerOptions { Mixup = 1 });
        yield return ("cutmix", new RegularizerOptions { CutMix = 1 });
        yield return ("ricap", new RegularizerOptions { Ricap = 0.3 });
        yield return ("dual-cutout", new RegularizerOptions { DualCutout = 0.1, DualCutoutSize = 8 });
        yield return ("label-smoothing", new RegularizerOptions { LabelSmoothing = 0.1 });
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
