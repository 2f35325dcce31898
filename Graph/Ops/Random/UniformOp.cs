namespace StaticGraph.Ops;

/// <summary>
/// Uniform draws in [<see cref="Low"/>, <see cref="High"/>).
/// <para>Bit recipe (element i, one Philox block): (X0, X1, X2, X3) = Philox(key = seed,
/// counter = (i, 0, stream, step)). u = (X0 &gt;&gt; 8) * 2^-24 for f32 outputs, u = ((X0 &lt;&lt; 32 | X1)
/// &gt;&gt; 11) * 2^-53 for f64 outputs (<see cref="StaticGraph.Random.RandomStream.UniformF32"/>,
/// <see cref="StaticGraph.Random.RandomStream.UniformF64"/>). The value is
/// fma(high - low, u, low) evaluated in double (high - low rounded to double first); f32 outputs
/// round that double to nearest. Every step is a correctly rounded IEEE operation, so a GPU
/// reproduces it bit for bit; for [0, 1) and [-1, 1) the f32 values are exact (u and 2u - 1).</para>
/// <para>In exact arithmetic the value is below High; rounding can return High itself when the
/// interval's ends are far from zero relative to its width.</para>
/// </summary>
public sealed class UniformOp : RandomOp
{
    /// <summary>Uniform draws of the given shape and dtype (f32 or f64) from stream <paramref name="stream"/>.</summary>
    public UniformOp(uint stream, Shape shape, DType dtype, double low, double high) : base(stream)
    {
        ArgumentNullException.ThrowIfNull(shape);
        Type = new TensorType(dtype, shape);
        Low = low;
        High = high;
    }

    /// <summary>The output's type.</summary>
    public TensorType Type { get; }

    /// <summary>The interval's inclusive lower end.</summary>
    public double Low { get; }

    /// <summary>The interval's exclusive upper end.</summary>
    public double High { get; }

    /// <inheritdoc/>
    public override string Name => "uniform";

    /// <inheritdoc/>
    protected override string DrawAttributes => $"low={Format(Low)} high={Format(High)}";

    /// <inheritdoc/>
    public override TensorType InferType(IReadOnlyList<TensorType> inputs)
    {
        ExpectArity(inputs, 0);
        ExpectDrawType(Type);
        ExpectFinite(Low, "low");
        ExpectFinite(High, "high");
        if (!(Low < High)) throw Fail($"expected low < high, got low={Low} high={High}");
        ExpectFinite(High - Low, "high - low");
        return Type;
    }
}

/// <summary>Builder methods for random draws. Each draw is named: its qualified name selects its random stream.</summary>
public static partial class RandomBuilder
{
    /// <summary>
    /// Uniform draws in [<paramref name="low"/>, <paramref name="high"/>) of shape
    /// <paramref name="dims"/>, named <paramref name="name"/> in the current scope; the dtype is the
    /// builder's float type unless given.
    /// </summary>
    public static Node Uniform(this GraphBuilder b, string name, int[] dims, double low = 0, double high = 1, DType? dtype = null)
    {
        var stream = RandomOp.StreamFor(b, name);
        return b.ApplyNamed(new UniformOp(stream, new Shape(dims), dtype ?? b.FloatType, low, high), name);
    }
}
