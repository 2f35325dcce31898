namespace StaticGraph.Ops;

/// <summary>
/// Bernoulli draws: 1 with probability <see cref="P"/>, else 0 (a keep or drop mask).
/// <para>Bit recipe (element i, one Philox block): (X0, X1, X2, X3) = Philox(key = seed,
/// counter = (i, 0, stream, step)); u = (X0 &gt;&gt; 8) * 2^-24 for f32 outputs and
/// u = ((X0 &lt;&lt; 32 | X1) &gt;&gt; 11) * 2^-53 for f64 outputs, exactly as <see cref="UniformOp"/> draws
/// over [0, 1); the value is 1 when u &lt; p, compared in double (u is exact there, p is the double
/// attribute, not rounded to f32), else 0. So a Bernoulli node and a uniform node of the same
/// stream agree: mask = (uniform &lt; p). p = 0 never gives 1 and p = 1 always does.</para>
/// </summary>
public sealed class BernoulliOp : RandomOp
{
    /// <summary>Bernoulli(<paramref name="p"/>) draws of the given shape and dtype (f32 or f64) from stream <paramref name="stream"/>.</summary>
    public BernoulliOp(uint stream, Shape shape, DType dtype, double p) : base(stream)
    {
        ArgumentNullException.ThrowIfNull(shape);
        Type = new TensorType(dtype, shape);
        P = p;
    }

    /// <summary>The output's type.</summary>
    public TensorType Type { get; }

    /// <summary>The probability of a 1, in [0, 1].</summary>
    public double P { get; }

    /// <inheritdoc/>
    public override string Name => "bernoulli";

    /// <inheritdoc/>
    protected override string DrawAttributes => $"p={Format(P)}";

    /// <inheritdoc/>
    public override TensorType InferType(IReadOnlyList<TensorType> inputs)
    {
        ExpectArity(inputs, 0);
        ExpectDrawType(Type);
        if (!(P >= 0 && P <= 1)) throw Fail($"expected a probability p in [0, 1], got {P}");
        return Type;
    }
}

public static partial class RandomBuilder
{
    /// <summary>
    /// Draws of shape <paramref name="dims"/> that are 1 with probability <paramref name="p"/> and 0
    /// otherwise, named <paramref name="name"/> in the current scope; the dtype is the builder's float
    /// type unless given.
    /// </summary>
    public static Node Bernoulli(this GraphBuilder b, string name, int[] dims, double p, DType? dtype = null)
    {
        var stream = RandomOp.StreamFor(b, name);
        return b.ApplyNamed(new BernoulliOp(stream, new Shape(dims), dtype ?? b.FloatType, p), name);
    }
}
