namespace StaticGraph.Ops;

/// <summary>
/// Random boxes in an H x W image for Cutout and CutMix: i32[count, 4], row r = (y0, x0, y1, x1),
/// half-open ([y0, y1) x [x0, x1)) and clipped to the image, so a box may be smaller than its
/// nominal size near an edge (as in both papers) and a box of side 0 is empty (y0 = y1).
/// <para>Bit recipe for row r (one Philox block, integers only, so a GPU reproduces it bit for
/// bit): (X0, X1, X2, X3) = Philox(key = seed, counter = (r, 0, stream, step)); a uniform integer
/// in 0 .. m-1 is pick(X, m) = (X * m) &gt;&gt; 32 in 64-bit arithmetic (floor(u * m) with
/// u = X * 2^-32). X2 and X3 are unused.</para>
/// <list type="bullet">
/// <item><see cref="BoxSizing.FixedSize"/>, sides sh = sw = size. Centre anywhere:
/// cy = pick(X0, H), cx = pick(X1, W), y0 = cy - sh/2, x0 = cx - sw/2 (integer division),
/// y1 = y0 + sh, x1 = x0 + sw, then each clipped to [0, H] or [0, W]; the box always covers its
/// centre pixel. With <see cref="Inside"/> the box is kept whole inside the image instead:
/// y0 = pick(X0, H - size + 1), x0 = pick(X1, W - size + 1), y1 = y0 + size, x1 = x0 + size.</item>
/// <item><see cref="BoxSizing.AreaFraction"/> (CutMix's rand_bbox): the op's one input lam
/// (f32 or f64, [count]) gives row r the sides sh = floor(H * sqrt(1 - lam[r])),
/// sw = floor(W * sqrt(1 - lam[r])) in double (correctly rounded operations), lam clamped to
/// [0, 1] and NaN read as 1 (an empty box); then the centre and clipping as in the fixed mode.
/// Unlike the reference code, whose box is [c - s/2, c + s/2), the unclipped box has side s
/// exactly; CutMix reweights its labels by the clipped box's area either way.</item>
/// </list>
/// </summary>
public sealed class BoxesOp : RandomOp
{
    /// <summary>Cutout boxes: <paramref name="count"/> squares of side <paramref name="size"/>, centred anywhere unless <paramref name="inside"/>.</summary>
    public BoxesOp(uint stream, int count, int height, int width, int size, bool inside) : base(stream)
    {
        Sizing = BoxSizing.FixedSize;
        Count = count;
        Height = height;
        Width = width;
        Size = size;
        Inside = inside;
    }

    /// <summary>CutMix boxes: <paramref name="count"/> boxes whose area fraction 1 - lam comes from the op's input.</summary>
    public BoxesOp(uint stream, int count, int height, int width) : base(stream)
    {
        Sizing = BoxSizing.AreaFraction;
        Count = count;
        Height = height;
        Width = width;
    }

    /// <summary>How the sides are chosen.</summary>
    public BoxSizing Sizing { get; }

    /// <summary>Number of boxes (rows of the output).</summary>
    public int Count { get; }

    /// <summary>Image height H.</summary>
    public int Height { get; }

    /// <summary>Image width W.</summary>
    public int Width { get; }

    /// <summary>The side of every box in <see cref="BoxSizing.FixedSize"/> mode; 0 otherwise.</summary>
    public int Size { get; }

    /// <summary>In <see cref="BoxSizing.FixedSize"/> mode, whether boxes lie wholly inside the image rather than centred anywhere.</summary>
    public bool Inside { get; }

    /// <inheritdoc/>
    public override string Name => "boxes";

    /// <inheritdoc/>
    protected override string DrawAttributes => Sizing == BoxSizing.FixedSize
        ? $"image={Height}x{Width} size={Size}" + (Inside ? " inside" : "")
        : $"image={Height}x{Width} area=1-lam";

    /// <inheritdoc/>
    public override TensorType InferType(IReadOnlyList<TensorType> inputs)
    {
        if (Count < 1) throw Fail($"expected count >= 1 boxes, got {Count}");
        if (Height < 1 || Width < 1) throw Fail($"expected a positive image size, got {Height}x{Width}");
        if (Sizing == BoxSizing.FixedSize)
        {
            ExpectArity(inputs, 0);
            if (Size < 1) throw Fail($"expected a box side size >= 1, got {Size}");
            if (Inside && (Size > Height || Size > Width))
                throw Fail($"a box of side {Size} cannot lie inside a {Height}x{Width} image");
        }
        else
        {
            ExpectArity(inputs, 1);
            var lam = inputs[0];
            if (lam.DType is not (DType.F32 or DType.F64) || lam.Shape.Rank != 1 || lam.Shape[0] != Count)
                throw Fail($"expected lam to be f32[{Count}] or f64[{Count}] (one per box), got {lam}");
        }
        return new TensorType(DType.I32, new Shape(Count, 4));
    }
}

public static partial class RandomBuilder
{
    /// <summary>
    /// Cutout boxes (i32[count, 4] = y0, x0, y1, x1, half-open): squares of side
    /// <paramref name="size"/> centred uniformly anywhere in a <paramref name="height"/> x
    /// <paramref name="width"/> image and clipped to it, or wholly inside it when
    /// <paramref name="inside"/>; named <paramref name="name"/> in the current scope.
    /// </summary>
    public static Node CutoutBoxes(this GraphBuilder b, string name, int count, int height, int width, int size, bool inside = false)
    {
        var stream = RandomOp.StreamFor(b, name);
        return b.ApplyNamed(new BoxesOp(stream, count, height, width, size, inside), name);
    }

    /// <summary>
    /// CutMix boxes (i32[count, 4] = y0, x0, y1, x1, half-open), one per element of
    /// <paramref name="lambda"/> ([count], f32 or f64): sides sqrt(1 - lam) times the
    /// <paramref name="height"/> and <paramref name="width"/>, centre uniform, clipped to the image;
    /// named <paramref name="name"/> in the current scope.
    /// </summary>
    public static Node CutMixBoxes(this GraphBuilder b, string name, Node lambda, int height, int width)
    {
        ArgumentNullException.ThrowIfNull(lambda);
        var stream = RandomOp.StreamFor(b, name);
        var count = lambda.Shape.Rank == 1 ? lambda.Shape[0] : (int)Math.Min(lambda.Shape.ElementCount, int.MaxValue);
        return b.ApplyNamed(new BoxesOp(stream, count, height, width), name, lambda);
    }
}
