namespace StaticGraph.Ops;

/// <summary>
/// Normal draws with mean <see cref="Mean"/> and standard deviation <see cref="Std"/>.
/// <para>Bit recipe (element i, one Philox block): (X0, X1, X2, X3) = Philox(key = seed,
/// counter = (i, 0, stream, step)); Box–Muller in double exactly as
/// <see cref="StaticGraph.Random.RandomStream.Normal"/>: u1 = 1 - ((X0 &lt;&lt; 32 | X1) &gt;&gt; 11) * 2^-53
/// (in (0, 1], so the log is finite), u2 = ((X2 &lt;&lt; 32 | X3) &gt;&gt; 11) * 2^-53,
/// z = sqrt(-2 ln u1) * cos((2 pi) * u2); the value is fma(std, z, mean) in double, and f32 outputs
/// round it to nearest. The same recipe for both dtypes, so f32 and f64 draws agree.</para>
/// <para>Unlike the uniform recipe this one calls ln and cos, which libraries round differently in
/// the last bit: a GPU port matches to about 1 ulp of double, and f32 outputs agree bit for bit
/// except when the double lands within that ulp of an f32 rounding boundary.</para>
/// </summary>
public sealed class NormalOp : RandomOp
{
    /// <summary>Normal draws of the given shape and dtype (f32 or f64) from stream <paramref name="stream"/>.</summary>
    public NormalOp(uint stream, Shape shape, DType dtype, double mean, double std) : base(stream)
    {
        ArgumentNullException.ThrowIfNull(shape);
        Type = new TensorType(dtype, shape);
        Mean = mean;
        Std = std;
    }

    /// <summary>The output's type.</summary>
    public TensorType Type { get; }

    /// <summary>The mean.</summary>
    public double Mean { get; }

    /// <summary>The standard deviation (non-negative).</summary>
    public double Std { get; }

    /// <inheritdoc/>
    public override string Name => "normal";

    /// <inheritdoc/>
    protected override string DrawAttributes => $"mean={Format(Mean)} std={Format(Std)}";

    /// <inheritdoc/>
    public override TensorType InferType(IReadOnlyList<TensorType> inputs)
    {
        ExpectArity(inputs, 0);
        ExpectDrawType(Type);
        ExpectFinite(Mean, "mean");
        ExpectFinite(Std, "std");
        if (Std < 0) throw Fail($"expected std >= 0, got {Std}");
        return Type;
    }
}

public static partial class RandomBuilder
{
    /// <summary>
    /// Normal(<paramref name="mean"/>, <paramref name="std"/>) draws of shape <paramref name="dims"/>,
    /// named <paramref name="name"/> in the current scope; the dtype is the builder's float type unless given.
    /// </summary>
    public static Node Normal(this GraphBuilder b, string name, int[] dims, double mean = 0, double std = 1, DType? dtype = null)
    {
        var stream = RandomOp.StreamFor(b, name);
        return b.ApplyNamed(new NormalOp(stream, new Shape(dims), dtype ?? b.FloatType, mean, std), name);
    }
}
