namespace StaticGraph.Ops;

/// <summary>where(mask, a, b): a where mask != 0, else b; all three broadcast together.</summary>
public sealed class WhereOp : Op
{
    /// <inheritdoc/>
    public override string Name => "where";

    /// <inheritdoc/>
    public override TensorType InferType(IReadOnlyList<TensorType> inputs)
    {
        ExpectArity(inputs, 3);
        ExpectFloat(inputs[1], "the first choice");
        ExpectSameDType(inputs[1], inputs[2], "both choices");
        ExpectSameDType(inputs[0], inputs[1], "the mask and the choices");
        var s = Shape.TryBroadcast(inputs[0].Shape, inputs[1].Shape) is { } ab ? Shape.TryBroadcast(ab, inputs[2].Shape) : null;
        return s is null
            ? throw Fail($"mask {inputs[0].Shape} and choices {inputs[1].Shape}, {inputs[2].Shape} do not broadcast")
            : new TensorType(inputs[1].DType, s);
    }

    /// <inheritdoc/>
    public override Node?[] Gradient(GraphBuilder b, Node node, Node dy)
    {
        var (mask, x, y) = (node.Inputs[0], node.Inputs[1], node.Inputs[2]);
        var zero = b.Scalar(0, dy.DType);
        return [null, b.SumToShape(b.Where(mask, dy, zero), x.Shape), b.SumToShape(b.Where(mask, zero, dy), y.Shape)];
    }
}

/// <summary>Builder method for <see cref="WhereOp"/>.</summary>
public static class WhereBuilder
{
    /// <summary>a where mask != 0, else b.</summary>
    public static Node Where(this GraphBuilder b, Node mask, Node x, Node y) => b.Apply(new WhereOp(), mask, x, y);
}
