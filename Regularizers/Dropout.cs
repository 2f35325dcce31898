namespace StaticGraph.Regularizers;

/// <summary>Dropout (Srivastava et al., 2014), in its inverted form.</summary>
public static class Dropout
{
    /// <summary>
    /// Training: each element is zeroed with probability <paramref name="p"/> and the survivors are
    /// scaled by 1 / (1 - p), so the expected value is x (one Bernoulli(1 - p) draw per element,
    /// "keep" in a fresh scope named <paramref name="name"/>). Inference: the identity. With p = 0
    /// it returns <paramref name="x"/> itself and draws nothing.
    /// </summary>
    /// <param name="b">The builder.</param>
    /// <param name="x">The activations: f32 or f64.</param>
    /// <param name="p">The drop probability, in [0, 1).</param>
    /// <param name="name">The scope of the draws.</param>
    public static Node Apply(GraphBuilder b, Node x, double p, string name = "dropout")
    {
        ArgumentNullException.ThrowIfNull(b);
        Coefficients.ExpectActivation(b, x, "dropout", name);
        Coefficients.ExpectProbability(p, $"dropout '{b.Qualify(name)}'", nameof(p), hiOpen: true);
        if (p == 0) return x;

        using var _ = b.FreshScope(name);
        var keep = b.Bernoulli("keep", x.Shape.ToArray(), 1 - p, x.DType);
        var training = b.Mul(x, b.Scale(keep, 1 / (1 - p)));
        return b.ModeSelect(training, x);
    }
}

/// <summary>Dropout as users choose it: <c>dropout</c> with its <c>p</c> (<c>--dropout VALUE</c>); read by the models that have a place for it.</summary>
public sealed class DropoutDefinition() : ModelProbabilityDefinition(Key, "dropout (Srivastava et al. 2014) between the convolutions of a wide block",
    "p", "the drop probability (0.3 in the WRN paper)", maxExclusive: true)
{
    /// <summary>Its name.</summary>
    public const string Key = "dropout";

    /// <summary>The value <paramref name="settings"/> ask for, or null when dropout is off.</summary>
    public static double? Probability(RegularizerSettings settings) => ValueIn(settings, Key, "p");
}
