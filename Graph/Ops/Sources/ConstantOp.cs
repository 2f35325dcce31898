using System.Globalization;

namespace StaticGraph.Ops;

/// <summary>A constant tensor: either one value broadcast to the shape, or explicit values.</summary>
public sealed class ConstantOp : Op
{
    /// <summary>A constant of <paramref name="type"/> whose elements are all <paramref name="fill"/>.</summary>
    public ConstantOp(TensorType type, double fill)
    {
        Type = type;
        Fill = fill;
    }

    /// <summary>A constant with explicit row-major values.</summary>
    public ConstantOp(TensorType type, double[] values)
    {
        if (values.Length != type.Shape.ElementCount)
            throw new GraphBuildException($"constant of type {type} needs {type.Shape.ElementCount} values, got {values.Length}");
        Type = type;
        Values = (double[])values.Clone();
    }

    /// <summary>The constant's type.</summary>
    public TensorType Type { get; }

    /// <summary>The fill value when <see cref="Values"/> is null.</summary>
    public double Fill { get; }

    /// <summary>Explicit values, or null for a fill.</summary>
    public IReadOnlyList<double>? Values { get; }

    /// <summary>Element i.</summary>
    public double ValueAt(long i) => Values is null ? Fill : Values[(int)i];

    /// <inheritdoc/>
    public override string Name => "constant";

    /// <inheritdoc/>
    public override string Attributes => Values is null
        ? Fill.ToString("G6", CultureInfo.InvariantCulture)
        : $"[{string.Join(",", Values.Take(4).Select(v => v.ToString("G6", CultureInfo.InvariantCulture)))}{(Values.Count > 4 ? ",..." : "")}]";

    /// <inheritdoc/>
    public override TensorType InferType(IReadOnlyList<TensorType> inputs)
    {
        ExpectArity(inputs, 0);
        return Type;
    }

    /// <inheritdoc/>
    public override Node?[] Gradient(GraphBuilder b, Node node, Node outputGradient) => [];
}

public static partial class SourceBuilder
{
    /// <summary>A scalar constant of the given dtype (the builder's float type by default).</summary>
    public static Node Scalar(this GraphBuilder b, double value, DType? dtype = null) =>
        b.Apply(new ConstantOp(new TensorType(dtype ?? b.FloatType, Shape.Scalar), value));

    /// <summary>A constant filled with <paramref name="value"/>.</summary>
    public static Node Fill(this GraphBuilder b, double value, DType dtype, params int[] dims) =>
        b.Apply(new ConstantOp(new TensorType(dtype, new Shape(dims)), value));

    /// <summary>A constant with explicit row-major values.</summary>
    public static Node Constant(this GraphBuilder b, double[] values, DType dtype, params int[] dims) =>
        b.Apply(new ConstantOp(new TensorType(dtype, new Shape(dims)), values));
}
