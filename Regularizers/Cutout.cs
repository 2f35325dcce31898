namespace StaticGraph.Regularizers;

/// <summary>
/// Cutout (DeVries and Taylor, "Improved Regularization of Convolutional Neural Networks with
/// Cutout", 2017): each image gets a square of side <see cref="Size"/> zeroed, centred anywhere in
/// the image and clipped to it (or, with <see cref="Inside"/>, wholly inside it). The boxes come
/// from <see cref="RandomBuilder.CutoutBoxes"/> ("boxes" in a fresh scope named
/// <see cref="Name"/>), the mask from <see cref="BoxMaskBuilder.BoxMask"/>. Targets are unchanged;
/// inference is the identity.
/// </summary>
/// <param name="size">The side of the square, at least 1 (16 for CIFAR in the paper).</param>
/// <param name="inside">Keep the square wholly inside the image instead of centring it anywhere.</param>
/// <param name="name">The scope of the draws.</param>
public sealed class Cutout(int size = 16, bool inside = false, string name = "cutout") : IBatchRegularizer
{
    /// <summary>The side of the square.</summary>
    public int Size { get; } = size >= 1 ? size : throw new ArgumentOutOfRangeException(nameof(size), size, $"cutout: the square's side must be at least 1, got {size}");

    /// <summary>Whether the square lies wholly inside the image.</summary>
    public bool Inside { get; } = inside;

    /// <summary>The scope of the draws.</summary>
    public string Name { get; } = name;

    /// <inheritdoc/>
    public TrainingBatch Apply(GraphBuilder b, TrainingBatch batch, int classes)
    {
        ArgumentNullException.ThrowIfNull(b);
        ArgumentNullException.ThrowIfNull(batch);
        batch.Validate($"cutout '{b.Qualify(Name)}'", classes);
        var images = batch.Images;
        var (n, h, w) = (images.Shape[0], images.Shape[2], images.Shape[3]);
        using var _ = b.FreshScope(Name);
        var boxes = b.CutoutBoxes("boxes", n, h, w, Size, Inside);
        var keep = b.BoxMask(boxes, h, w, images.DType);
        return batch with { Images = b.ModeSelect(b.Mul(images, keep), images) };
    }

    /// <inheritdoc/>
    public override string ToString() => $"cutout(size={Size}{(Inside ? ", inside" : "")})";
}

/// <summary>Cutout as users choose it: <c>cutout</c> with its square's <c>size</c> (<c>--cutout 16</c>) and <c>inside</c>.</summary>
public sealed class CutoutDefinition : IBatchRegularizerDefinition
{
    /// <inheritdoc/>
    public string Name => "cutout";

    /// <inheritdoc/>
    public string Summary => "Cutout (DeVries and Taylor 2017): a square of each image zeroed";

    /// <inheritdoc/>
    public IReadOnlyList<RegularizerParameter> Parameters { get; } =
    [
        RegularizerParameter.Integer("size", "the square's side (16 for CIFAR)", min: 1, primary: true),
        RegularizerParameter.Flag("inside", "keep the square wholly inside the image"),
    ];

    /// <inheritdoc/>
    public int Order => 20;

    /// <inheritdoc/>
    public string? ExclusiveGroup => null;

    /// <inheritdoc/>
    public IReadOnlyList<(string Other, string Reason)> Excludes { get; } =
        [("dual-cutout", "dual-cutout already cuts out both of its views; drop cutout (set dual-cutout's size instead)")];

    /// <inheritdoc/>
    public void AddTo(ObjectiveRecipe recipe, RegularizerArguments arguments) => recipe.Add(Order, new Cutout(arguments.Integer("size"), arguments.Flag("inside")));
}
