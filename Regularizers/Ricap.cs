namespace StaticGraph.Regularizers;

/// <summary>
/// RICAP (Takahashi et al., "Data Augmentation using Random Image Cropping and Patching for Deep
/// CNNs", 2018): a boundary point (w0, h0) = round((W, H) * (rw, rh)) with rw, rh ~
/// Beta(<see cref="Beta"/>, <see cref="Beta"/>) ("boundary" in a fresh scope named
/// <see cref="Name"/>) splits the image into four regions; region k is filled with a random crop
/// of the same size from image perm_k[n] of the batch ("perm0" .. "perm3", crop origins from
/// <see cref="RandomBuilder.RicapLayout"/>, "layout"). Targets become
/// <c>sum_k (area_k / (H W)) * t[perm_k]</c>. Inference is the identity (one-hot targets).
/// </summary>
/// <param name="beta">The Beta distribution's parameter, positive (0.3 in the paper and hysts).</param>
/// <param name="name">The scope of the draws.</param>
public sealed class Ricap(double beta = 0.3, string name = "ricap") : IBatchRegularizer
{
    /// <summary>The Beta distribution's parameter.</summary>
    public double Beta { get; } = beta > 0 && double.IsFinite(beta) ? beta
        : throw new ArgumentOutOfRangeException(nameof(beta), beta, $"ricap: expected beta > 0, got {Coefficients.Format(beta)}");

    /// <summary>The scope of the draws.</summary>
    public string Name { get; } = name;

    /// <inheritdoc/>
    public TrainingBatch Apply(GraphBuilder b, TrainingBatch batch, int classes)
    {
        ArgumentNullException.ThrowIfNull(b);
        ArgumentNullException.ThrowIfNull(batch);
        batch.Validate($"ricap '{b.Qualify(Name)}'", classes);
        var (images, targets) = (batch.Images, batch.SoftTargets(b, classes));
        var (h, w) = (images.Shape[2], images.Shape[3]);
        using var _ = b.FreshScope(Name);
        var boundary = b.Beta("boundary", [2], Beta, Beta, images.DType);
        var layout = b.RicapLayout("layout", boundary, h, w);
        var outside = b.BoxMask(b.Slice(layout, [0, 0], [RicapLayoutOp.Patches, 4]), h, w, images.DType); // [4,1,H,W]

        Node? mixedImages = null, mixedTargets = null;
        // The four boxes tile the image: patch 3 fills what boxes 0..2 leave, and each earlier
        // patch is pasted into its own box.
        for (var k = RicapLayoutOp.Patches - 1; k >= 0; k--)
        {
            var perm = b.Permutation($"perm{k}", batch.BatchSize);
            var offset = b.Slice(layout, [k, 4], [k + 1, 6]);
            var patch = b.Translate(b.GatherRows(images, perm), offset);
            var outsideK = b.Slice(outside, 0, k, k + 1);
            mixedImages = mixedImages is null ? patch : b.Where(outsideK, mixedImages, patch);
            var weight = b.Sub(b.Scalar(1, images.DType), b.MeanAll(outsideK)); // area_k / (H W)
            var share = b.Mul(b.GatherRows(targets, perm), weight);
            mixedTargets = mixedTargets is null ? share : b.Add(mixedTargets, share);
        }
        return new TrainingBatch(b.ModeSelect(mixedImages!, images), b.ModeSelect(mixedTargets!, targets));
    }

    /// <inheritdoc/>
    public override string ToString() => $"ricap(beta={Coefficients.Format(Beta)})";
}

/// <summary>Ricap as users choose it: <c>ricap</c> with its <c>beta</c> (<c>--ricap VALUE</c>).</summary>
public sealed class RicapDefinition() : BatchMixerDefinition("ricap", "RICAP (Takahashi et al. 2018): four images cropped and patched into one, labels mixed by area", "beta", "Beta's beta (0.3 in the paper)", beta => new Ricap(beta));
