namespace StaticGraph.Regularizers;

/// <summary>
/// Mixup (Zhang et al., "mixup: Beyond Empirical Risk Minimization", 2018): one
/// lam ~ Beta(<see cref="Alpha"/>, <see cref="Alpha"/>) per batch ("lam" in a fresh scope named
/// <see cref="Name"/>) and a batch permutation ("perm"); images become
/// <c>lam * x + (1 - lam) * x[perm]</c> and targets the soft <c>lam * t + (1 - lam) * t[perm]</c>
/// (t the one-hot rows of class indices), whose rows still sum to 1. Inference is the identity
/// (one-hot targets).
/// </summary>
/// <param name="alpha">The Beta distribution's parameter, positive (1 in hysts' CIFAR runs).</param>
/// <param name="name">The scope of the draws.</param>
public sealed class Mixup(double alpha = 1, string name = "mixup") : IBatchRegularizer
{
    /// <summary>The Beta distribution's parameter.</summary>
    public double Alpha { get; } = alpha > 0 && double.IsFinite(alpha) ? alpha
        : throw new ArgumentOutOfRangeException(nameof(alpha), alpha, $"mixup: expected alpha > 0, got {Coefficients.Format(alpha)}");

    /// <summary>The scope of the draws.</summary>
    public string Name { get; } = name;

    /// <inheritdoc/>
    public TrainingBatch Apply(GraphBuilder b, TrainingBatch batch, int classes)
    {
        ArgumentNullException.ThrowIfNull(b);
        ArgumentNullException.ThrowIfNull(batch);
        batch.Validate($"mixup '{b.Qualify(Name)}'", classes);
        var (images, targets) = (batch.Images, batch.SoftTargets(b, classes));
        using var _ = b.FreshScope(Name);
        var lam = b.Reshape(b.Beta("lam", [1], Alpha, Alpha, images.DType), Shape.Scalar);
        var perm = b.Permutation("perm", batch.BatchSize);
        var mixedImages = Blend.Lerp(b, b.GatherRows(images, perm), images, lam);
        var mixedTargets = Blend.Lerp(b, b.GatherRows(targets, perm), targets, lam);
        return new TrainingBatch(b.ModeSelect(mixedImages, images), b.ModeSelect(mixedTargets, targets));
    }

    /// <inheritdoc/>
    public override string ToString() => $"mixup(alpha={Coefficients.Format(Alpha)})";
}

/// <summary>Blends shared by the label-mixing regularizers.</summary>
internal static class Blend
{
    /// <summary><c>other + weight * (own - other)</c> = weight * own + (1 - weight) * other, with one multiply.</summary>
    public static Node Lerp(GraphBuilder b, Node other, Node own, Node weight) => b.Add(other, b.Mul(b.Sub(own, other), weight));
}

/// <summary>Mixup as users choose it: <c>mixup</c> with its <c>alpha</c> (<c>--mixup VALUE</c>).</summary>
public sealed class MixupDefinition() : BatchMixerDefinition("mixup", "Mixup (Zhang et al. 2018): pairs of images and their labels blended with a Beta(alpha, alpha) weight", "alpha", "Beta's alpha (1 in hysts' runs)", alpha => new Mixup(alpha));
