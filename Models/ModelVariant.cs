using StaticGraph.Regularizers;

namespace StaticGraph.Models;

/// <summary>
/// The regularizers a model can be built with, from the command line. Each applies to the models
/// whose architecture has the place for it; asking one of another model is an error, not a no-op.
/// </summary>
/// <param name="Shake">Shake-Shake modes (shake-shake and ResNeXt models).</param>
/// <param name="ShakeDropFinalSurvival">ShakeDrop's final p_L (PyramidNet).</param>
/// <param name="StochasticDepthFinalSurvival">Stochastic depth's final survival (ResNet-preact).</param>
/// <param name="DropActivation">Drop-Activation's drop probability (ResNet-preact).</param>
/// <param name="Dropout">Dropout between the convolutions (WRN).</param>
public sealed record ModelVariant(ShakeOptions? Shake = null, double? ShakeDropFinalSurvival = null,
    double? StochasticDepthFinalSurvival = null, double? DropActivation = null, double? Dropout = null)
{
    /// <summary>No regularizer beyond each model's default.</summary>
    public static ModelVariant Default { get; } = new();
}
