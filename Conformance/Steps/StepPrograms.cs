using StaticGraph.Models;
using StaticGraph.Regularizers;

namespace StaticGraph.Conformance.Steps;

/// <summary>
/// The training programs the kit runs whole: every model of the zoo, every regularizer variant a model takes, every
/// training objective, and the small networks that put each op family through a step of its own. Models are built at
/// batch 2 and 8×8 images with 10 classes (Nesterov SGD, constant rate 0.1), which keeps one step of the largest within
/// seconds on a CPU and on the emulator.
/// </summary>
public static class StepPrograms
{
    /// <summary>Images per step of a model program.</summary>
    public const int Batch = 2;

    /// <summary>The side of a model program's images.</summary>
    public const int ImageSize = 8;

    private const int Classes = 10;

    private static readonly Lazy<IReadOnlyList<StepProgram>> Programs = new(() => [.. Models(), .. SmallNetworks.All()]);

    /// <summary>Every step program.</summary>
    public static IReadOnlyList<StepProgram> All => Programs.Value;

    /// <summary>
    /// The programs run twice (and, where the target replays graphs, eagerly): convolutions and batch statistics,
    /// Shake-Shake's per-image draws, DenseNet's concatenations, and RICAP's crops and layout.
    /// </summary>
    public static IReadOnlyList<StepProgram> Determinism => [Get("shake-shake-26-2x32d"), Get("densenet-bc-100-12"), Get("resnet-preact-20+ricap")];

    /// <summary>
    /// The programs whose inference is checked: every model and regularizer variant, and the small networks with logits
    /// (an objective's inference is its model's: every batch regularizer is the identity there).
    /// </summary>
    public static IEnumerable<StepProgram> Inference => All.Where(p => !Objectives().Any(o => p.Name.EndsWith("+" + o.Name, StringComparison.Ordinal))
        && StepProgram.InferenceOf(p.Build(DType.F64)) is not null);

    /// <summary>The program named <paramref name="name"/>.</summary>
    public static StepProgram Get(string name) => All.SingleOrDefault(p => p.Name == name) ?? throw new KeyNotFoundException($"no step program is named '{name}'");

    /// <summary>A zoo model's program (with its regularizers: the model's and the objective's) at the given batch and image size.</summary>
    public static StepProgram Model(string name, string model, RegularizerSettings regularizers, int batch = Batch, int size = ImageSize, int channels = 3) =>
        new(name, dtype =>
        {
            var b = new GraphBuilder(dtype);
            var images = b.Input("image", dtype, batch, channels, size, size);
            var labels = b.Input("label", DType.I32, batch);
            var build = ModelZoo.Get(model, regularizers);
            var (loss, logits) = RegularizerCatalog.Objective(regularizers).Build(b, x => build(b, x, Classes), images, labels, Classes);
            return Autodiff.Train(loss, new Sgd(0.9, 5e-4, Nesterov: true), Schedule.Constant(0.1), logits);
        }, () => new Dictionary<string, double[]>
        {
            ["image"] = Values.Signed(batch * channels * size * size, 3),
            ["label"] = [.. Enumerable.Range(0, batch).Select(i => (double)((i * 7 + 3) % Classes))],
        });

    /// <summary>Every training objective the command line offers, on its own, and one combination.</summary>
    public static IEnumerable<(string Name, RegularizerSettings Options)> Objectives()
    {
        var none = RegularizerSettings.None;
        yield return ("cutout", none.With("cutout", 4));
        yield return ("cutout-inside", none.With("cutout", 3, ("inside", true)));
        yield return ("random-erasing", none.With("random-erasing", 0.5));
        yield return ("mixup", none.With("mixup", 1));
        yield return ("cutmix", none.With("cutmix", 1));
        yield return ("ricap", none.With("ricap", 0.3));
        yield return ("dual-cutout", none.With("dual-cutout", 0.1, ("size", 4)));
        yield return ("label-smoothing", none.With("label-smoothing", 0.1));
        yield return ("random-erasing+cutout+mixup+label-smoothing", none.With("random-erasing", 0.5).With("cutout", 4).With("mixup", 1).With("label-smoothing", 0.1));
    }

    private static IEnumerable<StepProgram> Models()
    {
        var plain = RegularizerSettings.None;
        foreach (var model in ModelZoo.Names) yield return Model(model, model, plain);
        yield return Model("resnet-preact-20+stochastic-depth", "resnet-preact-20", plain.With(StochasticDepthDefinition.Key, 0.8));
        yield return Model("resnet-preact-20+drop-activation", "resnet-preact-20", plain.With(DropActivationDefinition.Key, 0.95));
        yield return Model("wrn-28-10+dropout", "wrn-28-10", plain.With(DropoutDefinition.Key, 0.3));
        foreach (var forward in Enum.GetValues<ShakeMode>())
            foreach (var backward in Enum.GetValues<ShakeMode>())
                foreach (var level in Enum.GetValues<ShakeLevel>())
                {
                    var shake = new ShakeOptions(forward, backward, level);
                    if (forward == ShakeMode.Keep) continue; // Keep reuses the forward coefficient: never a forward mode
                    yield return Model($"shake-shake-26-2x32d+{shake.Name}", "shake-shake-26-2x32d", plain.With(ShakeShakeDefinition.Key, null,
                        ("forward", forward.ToString()), ("backward", backward.ToString()), ("image", level == ShakeLevel.Image)));
                }
        foreach (var (name, objective) in Objectives()) yield return Model($"resnet-preact-20+{name}", "resnet-preact-20", objective);
    }
}
