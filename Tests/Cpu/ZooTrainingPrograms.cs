using StaticGraph.Models;
using StaticGraph.Ops;
using StaticGraph.Regularizers;

namespace StaticGraph.Tests.Cpu;

/// <summary>Training programs of zoo models for the CPU backend's tests: cross-entropy, SGD (Nesterov), constant rate.</summary>
internal static class ZooTrainingPrograms
{
    /// <summary>
    /// <paramref name="model"/> on <paramref name="batch"/> images of <paramref name="channels"/> x
    /// <paramref name="size"/> x <paramref name="size"/> (inputs "image" and "label"); <paramref name="variant"/>
    /// "shake-image" turns on Shake-Shake per image, anything else trains without regularizers.
    /// </summary>
    public static (GraphProgram Program, Node Loss, Node Logits) Build(string model, string variant, int channels, int size, int batch)
    {
        var settings = variant == "shake-image"
            ? RegularizerSettings.None.With(ShakeShakeDefinition.Key, null, ("forward", "shake"), ("backward", "shake"), ("image", true))
            : RegularizerSettings.None;
        var b = new GraphBuilder(DType.F32);
        var images = b.Input("image", DType.F32, batch, channels, size, size);
        var labels = b.Input("label", DType.I32, batch);
        var (loss, logits) = new CrossEntropyObjective([]).Build(b, x => ModelZoo.Get(model, settings)(b, x, 10), images, labels, 10);
        return (Autodiff.Train(loss, new Sgd(0.9, 5e-4, true), Schedule.Constant(0.1), logits), loss, logits);
    }
}
