namespace StaticGraph.Regularizers;

/// <summary>
/// ShakeDrop (Yamada et al., "ShakeDrop Regularization for Deep Residual Learning", 2018): a
/// per-image gate g ~ Bernoulli(p_l) that, when closed, scales the residual branch by a random
/// a ~ U[-1, 1] forward and b ~ U[0, 1] backward.
/// </summary>
public static class ShakeDrop
{
    /// <summary>
    /// Training: forward <c>(g + a - g*a) * F</c>, backward coefficient <c>(g + b - g*b)</c>, built
    /// exactly as <c>c_b * F + StopGradient((c_f - c_b) * F)</c> with c_f = where(g, 1, a) and
    /// c_b = where(g, 1, b) (the same values, exact when the gate is open). g, a and b are drawn once
    /// per image ("gate", "alpha", "beta" in a fresh scope named <paramref name="name"/>).
    /// Inference: <c>E[g + a - g*a] * F = p_l * F</c> (E[a] = 0). The residual shortcut is the
    /// caller's to add.
    /// </summary>
    /// <param name="b">The builder.</param>
    /// <param name="residual">The residual branch F(x): f32 or f64, batch axis first.</param>
    /// <param name="survivalProbability">p_l, the probability that the gate is open, in [0, 1]; see <see cref="LinearSurvival"/>.</param>
    /// <param name="name">The scope of the draws.</param>
    public static Node Apply(GraphBuilder b, Node residual, double survivalProbability, string name = "shakedrop")
    {
        ArgumentNullException.ThrowIfNull(b);
        Coefficients.ExpectActivation(b, residual, "shakedrop", name);
        Coefficients.ExpectProbability(survivalProbability, $"shakedrop '{b.Qualify(name)}'", nameof(survivalProbability));

        using var _ = b.FreshScope(name);
        var dims = Coefficients.Dims(residual, perImage: true);
        var dtype = residual.DType;
        var gate = b.Bernoulli("gate", dims, survivalProbability, dtype);
        var alpha = b.Uniform("alpha", dims, -1, 1, dtype);
        var beta = b.Uniform("beta", dims, 0, 1, dtype);
        var one = b.Scalar(1, dtype);
        var forward = b.Where(gate, one, alpha);
        var backward = b.Where(gate, one, beta);
        var training = b.Add(b.Mul(residual, backward), b.StopGradient(b.Mul(residual, b.Sub(forward, backward))));
        var inference = b.Scale(residual, survivalProbability);
        return b.ModeSelect(training, inference);
    }

    /// <summary>
    /// The linear decay rule of the paper: block <paramref name="blockIndex"/> (0-based) of
    /// <paramref name="blockCount"/> has p_l = 1 - (blockIndex + 1) / blockCount * (1 - p_L), from
    /// nearly 1 at the first block down to <paramref name="finalProbability"/> = p_L at the last.
    /// </summary>
    public static double LinearSurvival(int blockIndex, int blockCount, double finalProbability = 0.5) =>
        Coefficients.LinearSurvival(blockIndex, blockCount, finalProbability, "shakedrop linear survival");
}

/// <summary>ShakeDrop as users choose it: <c>shakedrop</c> with its <c>survival</c> (<c>--shakedrop VALUE</c>); read by the models that have a place for it.</summary>
public sealed class ShakeDropDefinition() : ModelProbabilityDefinition(Key, "ShakeDrop (Yamada et al. 2018): residual branches scaled by random coefficients behind a Bernoulli gate",
    "survival", "the final block's survival p_L (0.5 in the paper); earlier blocks survive more")
{
    /// <summary>Its name.</summary>
    public const string Key = "shakedrop";

    /// <summary>The value <paramref name="settings"/> ask for, or null when shakedrop is off.</summary>
    public static double? FinalSurvival(RegularizerSettings settings) => ValueIn(settings, Key, "survival");
}
