namespace StaticGraph.Ops;

/// <summary>Broadcasts a tensor to a larger shape (NumPy rules); the gradient sums back.</summary>
public sealed class BroadcastToOp(Shape target) : Op
{
    /// <summary>The shape broadcast to.</summary>
    public Shape Target { get; } = target;

    /// <inheritdoc/>
    public override string Name => "broadcast_to";

    /// <inheritdoc/>
    public override string Attributes => "to=" + Target;

    /// <inheritdoc/>
    public override TensorType InferType(IReadOnlyList<TensorType> inputs)
    {
        ExpectArity(inputs, 1);
        if (Shape.TryBroadcast(inputs[0].Shape, Target) != Target)
            throw Fail($"{inputs[0].Shape} does not broadcast to {Target}");
        return inputs[0] with { Shape = Target };
    }

    /// <inheritdoc/>
    public override Node?[] Gradient(GraphBuilder b, Node node, Node dy) => [b.SumToShape(dy, node.Inputs[0].Shape)];
}

/// <summary>Builder methods for broadcasting and its adjoint.</summary>
public static class BroadcastBuilder
{
    /// <summary>x broadcast to <paramref name="shape"/> (x itself when it already has it).</summary>
    public static Node BroadcastTo(this GraphBuilder b, Node x, Shape shape) => x.Shape == shape ? x : b.Apply(new BroadcastToOp(shape), x);

    /// <summary>
    /// The adjoint of broadcasting: sums <paramref name="x"/> over the axes along which a tensor of
    /// <paramref name="shape"/> would have been broadcast, giving a tensor of that shape.
    /// </summary>
    public static Node SumToShape(this GraphBuilder b, Node x, Shape shape)
    {
        if (x.Shape == shape) return x;
        var lead = x.Shape.Rank - shape.Rank;
        if (lead < 0) throw new GraphBuildException($"cannot sum {x}: {x.Type} to the larger shape {shape}");
        var axes = new List<int>();
        for (var i = 0; i < x.Shape.Rank; i++)
        {
            if (i < lead || (shape[i - lead] == 1 && x.Shape[i] != 1)) axes.Add(i);
        }
        var summed = axes.Count == 0 ? x : b.Sum(x, axes.ToArray(), keepDims: true);
        return b.Reshape(summed, shape);
    }
}
