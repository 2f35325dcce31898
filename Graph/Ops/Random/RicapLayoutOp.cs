namespace StaticGraph.Ops;

/// <summary>
/// RICAP's layout (Takahashi et al., "RICAP: Random Image Cropping and Patching", 2018): where the
/// four crops go in an H x W image and where they come from. The one input is the boundary
/// (f32 or f64 [2]: the width fraction, then the height fraction, each a Beta(b, b) draw); the
/// output is i32[4, 6], row k = (y0, x0, y1, x1, ty, tx): patch k fills the half-open box
/// [y0, y1) x [x0, x1) of the output with the crop of its source image that starts at
/// (y0 - ty, x0 - tx), i.e. the source moved by (ty, tx) (see <see cref="TranslateOp"/>).
/// <para>Bit recipe. The boundary is w0 = round(W * rw), h0 = round(H * rh) in double, rounding
/// half to even (CUDA: rint), with rw, rh clamped to [0, 1] and NaN read as 0.5. Patch sides are
/// (h, w) = (h0, w0), (h0, W - w0), (H - h0, w0), (H - h0, W - w0) for k = 0 .. 3 (top left, top
/// right, bottom left, bottom right) and their boxes tile the image, so a side of 0 gives an empty
/// box. Patch k's crop origin comes from one Philox block, integers only:
/// (X0, X1, X2, X3) = Philox(key = seed, counter = (k, 0, stream, step)),
/// sy = pick(X0, H - h + 1), sx = pick(X1, W - w + 1) with pick(X, m) = (X * m) &gt;&gt; 32 in
/// 64-bit arithmetic; then ty = y0 - sy, tx = x0 - sx. X2 and X3 are unused.</para>
/// </summary>
public sealed class RicapLayoutOp(uint stream, int height, int width) : RandomOp(stream)
{
    /// <summary>The number of patches.</summary>
    public const int Patches = 4;

    /// <summary>Image height H.</summary>
    public int Height { get; } = height;

    /// <summary>Image width W.</summary>
    public int Width { get; } = width;

    /// <inheritdoc/>
    public override string Name => "ricap_layout";

    /// <inheritdoc/>
    protected override string DrawAttributes => $"image={Height}x{Width}";

    /// <inheritdoc/>
    public override TensorType InferType(IReadOnlyList<TensorType> inputs)
    {
        ExpectArity(inputs, 1);
        if (Height < 1 || Width < 1) throw Fail($"expected a positive image size, got {Height}x{Width}");
        var boundary = inputs[0];
        if (boundary.DType is not (DType.F32 or DType.F64) || boundary.Shape.Rank != 1 || boundary.Shape[0] != 2)
            throw Fail($"expected the boundary f32[2] or f64[2] (width fraction, height fraction), got {boundary}");
        return new TensorType(DType.I32, new Shape(Patches, 6));
    }
}

public static partial class RandomBuilder
{
    /// <summary>
    /// RICAP's layout (i32[4, 6], rows (y0, x0, y1, x1, ty, tx)) for an <paramref name="height"/> x
    /// <paramref name="width"/> image split at <paramref name="boundary"/> ([2]: width fraction,
    /// height fraction), named <paramref name="name"/> in the current scope. See <see cref="RicapLayoutOp"/>.
    /// </summary>
    public static Node RicapLayout(this GraphBuilder b, string name, Node boundary, int height, int width)
    {
        ArgumentNullException.ThrowIfNull(boundary);
        var stream = RandomOp.StreamFor(b, name);
        return b.ApplyNamed(new RicapLayoutOp(stream, height, width), name, boundary);
    }
}
