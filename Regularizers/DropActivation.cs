namespace StaticGraph.Regularizers;

/// <summary>
/// Drop-Activation (Liang et al., "Drop-Activation: Implicit Parameter Reduction and Harmonic
/// Regularization", 2018): a ReLU whose nonlinearity is dropped, element by element, at random.
/// </summary>
public static class DropActivation
{
    /// <summary>
    /// Training: each element is <c>x</c> (identity) with probability <paramref name="p"/> and
    /// <c>relu(x)</c> otherwise, one Bernoulli draw per element ("mask" in a fresh scope named
    /// <paramref name="name"/>). Inference: the expectation <c>p*x + (1-p)*relu(x)</c>.
    /// </summary>
    /// <param name="b">The builder.</param>
    /// <param name="x">The pre-activation: f32 or f64.</param>
    /// <param name="p">The probability of the identity, in [0, 1] (the paper keeps the ReLU 95% of the time: p = 0.05).</param>
    /// <param name="name">The scope of the draws.</param>
    public static Node Apply(GraphBuilder b, Node x, double p, string name = "drop_activation")
    {
        ArgumentNullException.ThrowIfNull(b);
        Coefficients.ExpectActivation(b, x, "drop-activation", name);
        Coefficients.ExpectProbability(p, $"drop-activation '{b.Qualify(name)}'", nameof(p));

        using var _ = b.FreshScope(name);
        var relu = b.Relu(x);
        var identity = b.Bernoulli("mask", x.Shape.ToArray(), p, x.DType);
        var training = b.Where(identity, x, relu);
        var inference = b.Add(b.Scale(x, p), b.Scale(relu, 1 - p));
        return b.ModeSelect(training, inference);
    }
}

/// <summary>DropActivation as users choose it: <c>drop-activation</c> with its <c>p</c> (<c>--drop-activation VALUE</c>); read by the models that have a place for it.</summary>
public sealed class DropActivationDefinition() : ModelProbabilityDefinition(Key, "Drop-Activation (Liang et al. 2018): ReLUs replaced at random by the identity",
    "p", "the probability of the identity (0.05 in the paper)")
{
    /// <summary>Its name.</summary>
    public const string Key = "drop-activation";

    /// <summary>The value <paramref name="settings"/> ask for, or null when drop-activation is off.</summary>
    public static double? Probability(RegularizerSettings settings) => ValueIn(settings, Key, "p");
}
