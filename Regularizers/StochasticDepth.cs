namespace StaticGraph.Regularizers;

/// <summary>
/// Stochastic depth (Huang et al., "Deep Networks with Stochastic Depth", 2016): each image's
/// residual branch is kept with probability p_l and dropped otherwise.
/// </summary>
public static class StochasticDepth
{
    /// <summary>
    /// Training: <c>g * F</c> with one g ~ Bernoulli(<paramref name="survival"/>) per image ("gate"
    /// in a fresh scope named <paramref name="name"/>). Inference: <c>survival * F</c>, the
    /// expectation. The residual shortcut is the caller's to add.
    /// </summary>
    /// <param name="b">The builder.</param>
    /// <param name="residual">The residual branch F(x): f32 or f64, batch axis first.</param>
    /// <param name="survival">p_l, the probability of keeping the branch, in [0, 1]; see <see cref="LinearSurvival"/>.</param>
    /// <param name="name">The scope of the draws.</param>
    public static Node Apply(GraphBuilder b, Node residual, double survival, string name = "stochastic_depth")
    {
        ArgumentNullException.ThrowIfNull(b);
        Coefficients.ExpectActivation(b, residual, "stochastic depth", name);
        Coefficients.ExpectProbability(survival, $"stochastic depth '{b.Qualify(name)}'", nameof(survival));

        using var _ = b.FreshScope(name);
        var gate = b.Bernoulli("gate", Coefficients.Dims(residual, perImage: true), survival, residual.DType);
        return b.ModeSelect(b.Mul(residual, gate), b.Scale(residual, survival));
    }

    /// <summary>
    /// Huang et al.'s linear decay rule: block <paramref name="blockIndex"/> (0-based) of
    /// <paramref name="blockCount"/> survives with p_l = 1 - (blockIndex + 1) / blockCount * (1 - p_L),
    /// p_L = <paramref name="finalProbability"/> (0.5 in the paper).
    /// </summary>
    public static double LinearSurvival(int blockIndex, int blockCount, double finalProbability = 0.5) =>
        Coefficients.LinearSurvival(blockIndex, blockCount, finalProbability, "stochastic depth linear survival");
}

/// <summary>StochasticDepth as users choose it: <c>stochastic-depth</c> with its <c>survival</c> (<c>--stochastic-depth VALUE</c>); read by the models that have a place for it.</summary>
public sealed class StochasticDepthDefinition() : ModelProbabilityDefinition(Key, "stochastic depth (Huang et al. 2016): residual branches dropped per image, deeper ones more often",
    "survival", "the final block's survival p_L (0.5 in the paper)")
{
    /// <summary>Its name.</summary>
    public const string Key = "stochastic-depth";

    /// <summary>The value <paramref name="settings"/> ask for, or null when stochastic-depth is off.</summary>
    public static double? FinalSurvival(RegularizerSettings settings) => ValueIn(settings, Key, "survival");
}
