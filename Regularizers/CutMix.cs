namespace StaticGraph.Regularizers;

/// <summary>
/// CutMix (Yun et al., "CutMix: Regularization Strategy to Train Strong Classifiers with
/// Localizable Features", 2019): one lam ~ Beta(<see cref="Alpha"/>, <see cref="Alpha"/>) per batch
/// ("lam" in a fresh scope named <see cref="Name"/>) sizes a box of area about (1 - lam) H W centred
/// uniformly and clipped to the image ("box", <see cref="RandomBuilder.CutMixBoxes"/>); the box
/// of every image is pasted from the image a batch permutation ("perm") pairs it with. Targets are
/// weighted by the actual, clipped box: <c>k * t + (1 - k) * t[perm]</c> with k the fraction of
/// the image outside the box. Inference is the identity (one-hot targets).
/// </summary>
/// <param name="alpha">The Beta distribution's parameter, positive (1 in the paper's CIFAR runs).</param>
/// <param name="name">The scope of the draws.</param>
public sealed class CutMix(double alpha = 1, string name = "cutmix") : IBatchRegularizer
{
    /// <summary>The Beta distribution's parameter.</summary>
    public double Alpha { get; } = alpha > 0 && double.IsFinite(alpha) ? alpha
        : throw new ArgumentOutOfRangeException(nameof(alpha), alpha, $"cutmix: expected alpha > 0, got {Coefficients.Format(alpha)}");

    /// <summary>The scope of the draws.</summary>
    public string Name { get; } = name;

    /// <inheritdoc/>
    public TrainingBatch Apply(GraphBuilder b, TrainingBatch batch, int classes)
    {
        ArgumentNullException.ThrowIfNull(b);
        ArgumentNullException.ThrowIfNull(batch);
        batch.Validate($"cutmix '{b.Qualify(Name)}'", classes);
        var (images, targets) = (batch.Images, batch.SoftTargets(b, classes));
        var (h, w) = (images.Shape[2], images.Shape[3]);
        using var _ = b.FreshScope(Name);
        var lam = b.Beta("lam", [1], Alpha, Alpha, images.DType);
        var box = b.CutMixBoxes("box", lam, h, w);
        var keep = b.BoxMask(box, h, w, images.DType); // [1,1,H,W]: 1 where the image keeps its own pixels
        var perm = b.Permutation("perm", batch.BatchSize);
        var mixedImages = b.Where(keep, images, b.GatherRows(images, perm));
        var kept = b.MeanAll(keep); // the clipped box's complement, as a fraction of the image
        var mixedTargets = Blend.Lerp(b, b.GatherRows(targets, perm), targets, kept);
        return new TrainingBatch(b.ModeSelect(mixedImages, images), b.ModeSelect(mixedTargets, targets));
    }

    /// <inheritdoc/>
    public override string ToString() => $"cutmix(alpha={Coefficients.Format(Alpha)})";
}

/// <summary>CutMix as users choose it: <c>cutmix</c> with its <c>alpha</c> (<c>--cutmix VALUE</c>).</summary>
public sealed class CutMixDefinition() : BatchMixerDefinition("cutmix", "CutMix (Yun et al. 2019): a rectangle of another image pasted in, labels mixed by area", "alpha", "Beta's alpha (1 in the paper)", alpha => new CutMix(alpha));
