namespace StaticGraph.Ops;

/// <summary>
/// Beta(<see cref="Alpha"/>, <see cref="BetaShape"/>) draws, as X / (X + Y) of two Gamma draws
/// X ~ Gamma(alpha), Y ~ Gamma(beta): Mixup's lam ~ Beta(a, a) and RICAP's boundary.
/// <para>Bit recipe for element i. Gamma g (g = 0 draws X with a = alpha, g = 1 draws Y with
/// a = beta) runs Marsaglia–Tsang on a' = a when a &gt;= 1, else on a' = a + 1 with the boost
/// G(a) = G(a + 1) * U^(1/a): d = a' - 1/3, c = 1 / sqrt(9 d). Attempt k = 0 .. 63 takes one
/// Philox block (X0, X1, X2, X3) = Philox(key = seed, counter = (i, 64 g + k, stream, step)), so
/// draw indices 0..63 belong to X and 64..127 to Y, and computes, in double without contraction:
/// u1 = (X0 + 1) * 2^-32 (in (0, 1]), u2 = X1 * 2^-32, x = sqrt(-2 ln u1) * cos((2 pi) * u2),
/// t = 1 + c x, v = (t * t) * t, u = (X2 + 0.5) * 2^-32. It rejects when v &lt;= 0, accepts when
/// u &lt; 1 - 0.0331 * ((x*x) * (x*x)) or ln u &lt; 0.5 * (x*x) + d * ((1 - v) + ln v), and then
/// ln G = ln(d * v), plus ln(ub) / a with ub = (X3 + 0.5) * 2^-32 from the accepting block when
/// a &lt; 1. Working in logarithms keeps tiny shapes (where G underflows) finite. The value is
/// 1 / (1 + exp(ln Y - ln X)); f32 outputs round it to nearest.</para>
/// <para>Attempts are bounded so the kernel always ends: if either Gamma rejects 64 times in a row
/// the element is the mean alpha / (alpha + beta). Marsaglia–Tsang accepts with probability above
/// 0.95 for a' &gt;= 1, so this happens with probability below 0.05^64: never in practice.</para>
/// <para>Like <see cref="NormalOp"/>, the recipe calls ln, cos and exp, so a GPU port agrees to
/// about an ulp of double rather than bit for bit.</para>
/// </summary>
public sealed class BetaOp : RandomOp
{
    /// <summary>The most Marsaglia–Tsang attempts per Gamma draw, and so the draw-index stride between the two Gammas.</summary>
    public const int MaxAttempts = 64;

    /// <summary>Beta(<paramref name="alpha"/>, <paramref name="beta"/>) draws of the given shape and dtype (f32 or f64) from stream <paramref name="stream"/>.</summary>
    public BetaOp(uint stream, Shape shape, DType dtype, double alpha, double beta) : base(stream)
    {
        ArgumentNullException.ThrowIfNull(shape);
        Type = new TensorType(dtype, shape);
        Alpha = alpha;
        BetaShape = beta;
    }

    /// <summary>The output's type.</summary>
    public TensorType Type { get; }

    /// <summary>The first shape parameter (weight of the Gamma in the numerator).</summary>
    public double Alpha { get; }

    /// <summary>The second shape parameter.</summary>
    public double BetaShape { get; }

    /// <summary>The distribution's mean alpha / (alpha + beta): the value of an element whose attempts run out.</summary>
    public double Mean => Alpha / (Alpha + BetaShape);

    /// <inheritdoc/>
    public override string Name => "beta";

    /// <inheritdoc/>
    protected override string DrawAttributes => $"alpha={Format(Alpha)} beta={Format(BetaShape)}";

    /// <inheritdoc/>
    public override TensorType InferType(IReadOnlyList<TensorType> inputs)
    {
        ExpectArity(inputs, 0);
        ExpectDrawType(Type);
        ExpectFinite(Alpha, "alpha");
        ExpectFinite(BetaShape, "beta");
        if (!(Alpha > 0 && BetaShape > 0)) throw Fail($"expected alpha > 0 and beta > 0, got alpha={Alpha} beta={BetaShape}");
        return Type;
    }
}

public static partial class RandomBuilder
{
    /// <summary>
    /// Beta(<paramref name="alpha"/>, <paramref name="beta"/>) draws of shape <paramref name="dims"/>,
    /// named <paramref name="name"/> in the current scope; the dtype is the builder's float type unless given.
    /// </summary>
    public static Node Beta(this GraphBuilder b, string name, int[] dims, double alpha, double beta, DType? dtype = null)
    {
        var stream = RandomOp.StreamFor(b, name);
        return b.ApplyNamed(new BetaOp(stream, new Shape(dims), dtype ?? b.FloatType, alpha, beta), name);
    }
}
