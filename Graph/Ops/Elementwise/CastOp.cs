namespace StaticGraph.Ops;

/// <summary>Converts elements to another dtype (round to nearest; float to int truncates toward zero).</summary>
public sealed class CastOp(DType target) : Op
{
    /// <summary>The dtype converted to.</summary>
    public DType Target { get; } = target;

    /// <inheritdoc/>
    public override string Name => "cast";

    /// <inheritdoc/>
    public override string Attributes => "to=" + Target.ShortName();

    /// <inheritdoc/>
    public override TensorType InferType(IReadOnlyList<TensorType> inputs)
    {
        ExpectArity(inputs, 1);
        return new TensorType(Target, inputs[0].Shape);
    }

    /// <inheritdoc/>
    public override Node?[] Gradient(GraphBuilder b, Node node, Node dy) =>
        node.Inputs[0].DType.IsFloat() && Target.IsFloat() ? [b.Cast(dy, node.Inputs[0].DType)] : [null];
}

/// <summary>Builder method for <see cref="CastOp"/>.</summary>
public static class CastBuilder
{
    /// <summary>x converted to <paramref name="dtype"/> (x itself when it already has it).</summary>
    public static Node Cast(this GraphBuilder b, Node x, DType dtype) => x.DType == dtype ? x : b.Apply(new CastOp(dtype), x);
}
