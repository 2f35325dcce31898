namespace StaticGraph.Ops;

/// <summary>
/// Random Erasing's rectangles (Zhong et al., "Random Erasing Data Augmentation", 2017) in an
/// H x W image: i32[count, 4], row r = (y0, x0, y1, x1), half-open, wholly inside the image; an
/// image that is not erased gets the empty box (0, 0, 0, 0).
/// <para>Bit recipe for row r, all in double with correctly rounded operations (no contraction),
/// so a GPU reproduces it bit for bit. A uniform fraction of a word is u(X) = X * 2^-32, and
/// pick(X, m) = (X * m) &gt;&gt; 32 in 64-bit arithmetic is a uniform integer in 0 .. m-1.</para>
/// <list type="number">
/// <item>Decide: (X0, X1, X2, X3) = Philox(key = seed, counter = (r, 0, stream, step)); the image is
/// erased when ((X0 &lt;&lt; 32 | X1) &gt;&gt; 11) * 2^-53 &lt; p (the Bernoulli recipe), else the row is empty.</item>
/// <item>Attempt k = 0 .. maxAttempts-1 takes (X0, X1, X2, X3) = Philox(key = seed,
/// counter = (r, k + 1, stream, step)): area fraction s = areaMin + (areaMax - areaMin) * u(X0),
/// aspect ratio a = minAspect + (1/minAspect - minAspect) * u(X1) (uniform, as in the paper and
/// in hysts' pytorch_image_classification), area = s * (H * W), h = floor(sqrt(area * a)),
/// w = floor(sqrt(area / a)). The attempt is accepted when 1 &lt;= h &lt; H and 1 &lt;= w &lt; W; then
/// y0 = pick(X2, H - h + 1), x0 = pick(X3, W - w + 1), y1 = y0 + h, x1 = x0 + w, and later
/// attempts are not looked at.</item>
/// <item>When every attempt is rejected the row is empty (the image is left alone, as in the paper).</item>
/// </list>
/// <para>So an erased rectangle has h * w &lt;= areaMax * H * W and (h + 1)(w + 1) &gt; areaMin * H * W,
/// and its aspect h / w lies within the floors of a drawn ratio in [minAspect, 1/minAspect].</para>
/// </summary>
public sealed class ErasingBoxesOp : RandomOp
{
    /// <summary>Random Erasing rectangles for <paramref name="count"/> images of <paramref name="height"/> x <paramref name="width"/>.</summary>
    public ErasingBoxesOp(uint stream, int count, int height, int width, double probability, double areaMin, double areaMax, double minAspect, int maxAttempts)
        : base(stream)
    {
        Count = count;
        Height = height;
        Width = width;
        Probability = probability;
        AreaMin = areaMin;
        AreaMax = areaMax;
        MinAspect = minAspect;
        MaxAttempts = maxAttempts;
    }

    /// <summary>Number of rectangles (rows of the output), one per image.</summary>
    public int Count { get; }

    /// <summary>Image height H.</summary>
    public int Height { get; }

    /// <summary>Image width W.</summary>
    public int Width { get; }

    /// <summary>The probability p that an image is erased.</summary>
    public double Probability { get; }

    /// <summary>The smallest fraction of the image's area a rectangle is drawn with.</summary>
    public double AreaMin { get; }

    /// <summary>The largest fraction of the image's area a rectangle is drawn with.</summary>
    public double AreaMax { get; }

    /// <summary>The smallest aspect ratio h / w drawn; the largest is its reciprocal.</summary>
    public double MinAspect { get; }

    /// <summary>The most rectangles drawn per image before giving up.</summary>
    public int MaxAttempts { get; }

    /// <inheritdoc/>
    public override string Name => "erasing_boxes";

    /// <inheritdoc/>
    protected override string DrawAttributes =>
        $"image={Height}x{Width} p={Format(Probability)} area=[{Format(AreaMin)},{Format(AreaMax)}] min_aspect={Format(MinAspect)} attempts={MaxAttempts}";

    /// <inheritdoc/>
    public override TensorType InferType(IReadOnlyList<TensorType> inputs)
    {
        ExpectArity(inputs, 0);
        if (Count < 1) throw Fail($"expected count >= 1 rectangles, got {Count}");
        if (Height < 1 || Width < 1) throw Fail($"expected a positive image size, got {Height}x{Width}");
        if (!(Probability >= 0 && Probability <= 1)) throw Fail($"expected a probability p in [0, 1], got {Probability}");
        if (!(AreaMin > 0 && AreaMin <= AreaMax && AreaMax <= 1))
            throw Fail($"expected area fractions 0 < areaMin <= areaMax <= 1, got areaMin={AreaMin} areaMax={AreaMax}");
        if (!(MinAspect > 0 && MinAspect <= 1)) throw Fail($"expected a minimum aspect ratio in (0, 1], got {MinAspect}");
        if (MaxAttempts < 1 || MaxAttempts > int.MaxValue - 1) throw Fail($"expected at least one attempt, got {MaxAttempts}");
        return new TensorType(DType.I32, new Shape(Count, 4));
    }
}

public static partial class RandomBuilder
{
    /// <summary>
    /// Random Erasing rectangles (i32[count, 4] = y0, x0, y1, x1, half-open, inside a
    /// <paramref name="height"/> x <paramref name="width"/> image; (0, 0, 0, 0) for an image left
    /// alone), named <paramref name="name"/> in the current scope. See <see cref="ErasingBoxesOp"/>.
    /// </summary>
    public static Node ErasingBoxes(this GraphBuilder b, string name, int count, int height, int width,
        double probability = 0.5, double areaMin = 0.02, double areaMax = 0.4, double minAspect = 0.3, int maxAttempts = 20)
    {
        var stream = RandomOp.StreamFor(b, name);
        return b.ApplyNamed(new ErasingBoxesOp(stream, count, height, width, probability, areaMin, areaMax, minAspect, maxAttempts), name);
    }
}
