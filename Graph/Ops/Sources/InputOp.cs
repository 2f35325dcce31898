namespace StaticGraph.Ops;

/// <summary>A value fed at every run (images, labels, the learning rate).</summary>
public sealed class InputOp(TensorType type) : Op
{
    /// <summary>The fed value's type.</summary>
    public TensorType Type { get; } = type;

    /// <inheritdoc/>
    public override string Name => "input";

    /// <inheritdoc/>
    public override TensorType InferType(IReadOnlyList<TensorType> inputs)
    {
        ExpectArity(inputs, 0);
        return Type;
    }

    /// <inheritdoc/>
    public override Node?[] Gradient(GraphBuilder b, Node node, Node outputGradient) => [];
}

/// <summary>Builder methods for graph sources.</summary>
public static partial class SourceBuilder
{
    /// <summary>A named input of the given dtype and dimensions.</summary>
    public static Node Input(this GraphBuilder b, string name, DType dtype, params int[] dims) =>
        b.ApplyNamed(new InputOp(new TensorType(dtype, new Shape(dims))), name);
}
