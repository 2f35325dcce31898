namespace StaticGraph.Ops;

/// <summary>Reinterprets the elements in row-major order under a new shape; no data moves.</summary>
public sealed class ReshapeOp(Shape target) : Op
{
    /// <summary>The new shape.</summary>
    public Shape Target { get; } = target;

    /// <inheritdoc/>
    public override string Name => "reshape";

    /// <inheritdoc/>
    public override string Attributes => "to=" + Target;

    /// <inheritdoc/>
    public override int? AliasOf(ProgramMode mode) => 0;

    /// <inheritdoc/>
    public override TensorType InferType(IReadOnlyList<TensorType> inputs)
    {
        ExpectArity(inputs, 1);
        if (inputs[0].Shape.ElementCount != Target.ElementCount)
            throw Fail($"expected {Target.ElementCount} elements to reshape to {Target}, the input has {inputs[0].Shape.ElementCount}");
        return inputs[0] with { Shape = Target };
    }

    /// <inheritdoc/>
    public override Node?[] Gradient(GraphBuilder b, Node node, Node dy) => [b.Reshape(dy, node.Inputs[0].Shape)];
}

/// <summary>Builder methods for reshaping.</summary>
public static class ReshapeBuilder
{
    /// <summary>x viewed with another shape of the same element count (x itself when unchanged).</summary>
    public static Node Reshape(this GraphBuilder b, Node x, Shape shape) => x.Shape == shape ? x : b.Apply(new ReshapeOp(shape), x);

    /// <summary>x viewed with the given dimensions; one of them may be -1 (inferred).</summary>
    public static Node Reshape(this GraphBuilder b, Node x, params int[] dims)
    {
        var inferred = Array.IndexOf(dims, -1);
        if (inferred >= 0)
        {
            long known = 1;
            for (var i = 0; i < dims.Length; i++) if (i != inferred) known *= dims[i];
            dims = (int[])dims.Clone();
            dims[inferred] = known > 0 && x.Shape.ElementCount % known == 0 ? (int)(x.Shape.ElementCount / known) : 0;
        }
        if (dims.Any(d => d <= 0))
            throw new GraphBuildException($"reshape of {x}: {x.Type} cannot take the shape [{string.Join(",", dims)}]");
        return b.Reshape(x, new Shape(dims));
    }

    /// <summary>[N, ...] flattened to [N, rest].</summary>
    public static Node Flatten(this GraphBuilder b, Node x) => b.Reshape(x, x.Shape[0], -1);
}
