namespace StaticGraph.Ops;

/// <summary>
/// Masks of boxes: i32 [M, 4] rows (y0, x0, y1, x1), as <see cref="BoxesOp"/> and
/// <see cref="ErasingBoxesOp"/> draw them, to [M, 1, <see cref="Height"/>, <see cref="Width"/>] of a
/// floating-point <see cref="DType"/>: 0 inside the half-open box [y0, y1) x [x0, x1), 1 outside.
/// Coordinates are clipped to the image, so a box partly or wholly outside it masks what it
/// covers, and a box with y0 &gt;= y1 or x0 &gt;= x1 is empty (an all-ones mask). Multiplying
/// images [M, C, H, W] by the mask is Cutout; <c>where(mask, images, other)</c> pastes other into
/// the box (CutMix, Random Erasing). No gradient flows to the boxes.
/// </summary>
public sealed class BoxMaskOp(int height, int width, DType dtype) : Op
{
    /// <summary>The mask's height H.</summary>
    public int Height { get; } = height;

    /// <summary>The mask's width W.</summary>
    public int Width { get; } = width;

    /// <summary>The output's dtype.</summary>
    public DType DType { get; } = dtype;

    /// <inheritdoc/>
    public override string Name => "box_mask";

    /// <inheritdoc/>
    public override string Attributes => $"image={Height}x{Width} to={DType.ShortName()}";

    /// <inheritdoc/>
    public override TensorType InferType(IReadOnlyList<TensorType> inputs)
    {
        ExpectArity(inputs, 1);
        var boxes = inputs[0];
        if (boxes.DType != StaticGraph.DType.I32 || boxes.Shape.Rank != 2 || boxes.Shape[1] != 4)
            throw Fail($"expected boxes i32[M,4] (y0, x0, y1, x1 per row), got {boxes}");
        if (Height < 1 || Width < 1) throw Fail($"expected a positive image size, got {Height}x{Width}");
        if (!DType.IsFloat()) throw Fail($"expected a floating-point output dtype, got {DType.ShortName()}");
        return new TensorType(DType, new Shape(boxes.Shape[0], 1, Height, Width));
    }

    /// <inheritdoc/>
    public override Node?[] Gradient(GraphBuilder b, Node node, Node outputGradient) => NoGradient(node);
}

/// <summary>Builder method for <see cref="BoxMaskOp"/>.</summary>
public static class BoxMaskBuilder
{
    /// <summary>
    /// The masks [M, 1, <paramref name="height"/>, <paramref name="width"/>] of <paramref name="boxes"/>
    /// (i32 [M, 4] = y0, x0, y1, x1, half-open): 0 inside each box, 1 outside; the dtype is the
    /// builder's float type unless given.
    /// </summary>
    public static Node BoxMask(this GraphBuilder b, Node boxes, int height, int width, DType? dtype = null) =>
        b.Apply(new BoxMaskOp(height, width, dtype ?? b.FloatType), boxes);
}
