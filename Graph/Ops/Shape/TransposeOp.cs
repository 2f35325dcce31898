namespace StaticGraph.Ops;

/// <summary>
/// Permutes the axes of a tensor: output axis i is input axis <see cref="Permutation"/>[i], so
/// <c>y.Shape[i] == x.Shape[perm[i]]</c>. Data moves (the output is row-major in its own shape).
/// </summary>
public sealed class TransposeOp : Op
{
    /// <summary>Creates the permutation; it is checked against the input when the node is built.</summary>
    public TransposeOp(int[] permutation)
    {
        ArgumentNullException.ThrowIfNull(permutation);
        Permutation = [.. permutation];
    }

    /// <summary>Output axis i takes input axis Permutation[i].</summary>
    public IReadOnlyList<int> Permutation { get; }

    /// <inheritdoc/>
    public override string Name => "transpose";

    /// <inheritdoc/>
    public override string Attributes => $"perm=[{string.Join(",", Permutation)}]";

    /// <summary>The permutation that undoes this one: transposing by it restores the input's layout.</summary>
    public int[] Inverse()
    {
        var inverse = new int[Permutation.Count];
        for (var i = 0; i < inverse.Length; i++) inverse[Permutation[i]] = i;
        return inverse;
    }

    /// <inheritdoc/>
    public override TensorType InferType(IReadOnlyList<TensorType> inputs)
    {
        ExpectArity(inputs, 1);
        var shape = inputs[0].Shape;
        if (Permutation.Count != shape.Rank)
            throw Fail($"expected a permutation of {shape.Rank} axes for shape {shape}, got {Permutation.Count} axes [{string.Join(",", Permutation)}]");
        var seen = new bool[shape.Rank];
        var dims = new int[shape.Rank];
        for (var i = 0; i < dims.Length; i++)
        {
            var axis = Permutation[i];
            if (axis < 0 || axis >= shape.Rank)
                throw Fail($"permutation [{string.Join(",", Permutation)}] names axis {axis}, out of range for shape {shape}");
            if (seen[axis]) throw Fail($"permutation [{string.Join(",", Permutation)}] names axis {axis} twice");
            seen[axis] = true;
            dims[i] = shape[axis];
        }
        return inputs[0] with { Shape = new Shape(dims) };
    }

    /// <inheritdoc/>
    public override Node?[] Gradient(GraphBuilder b, Node node, Node dy) =>
        node.Inputs[0].DType.IsFloat() ? [b.Transpose(dy, Inverse())] : [null];
}

/// <summary>Builder methods for axis permutations.</summary>
public static class TransposeBuilder
{
    /// <summary>
    /// x with its axes permuted: output axis i is input axis <paramref name="permutation"/>[i]
    /// (x itself for the identity permutation).
    /// </summary>
    public static Node Transpose(this GraphBuilder b, Node x, params int[] permutation)
    {
        ArgumentNullException.ThrowIfNull(permutation);
        var identity = permutation.Length == x.Shape.Rank && permutation.Select((axis, i) => axis == i).All(same => same);
        return identity ? x : b.Apply(new TransposeOp(permutation), x);
    }

    /// <summary>The transpose of a matrix: [m, n] to [n, m].</summary>
    public static Node Transpose2D(this GraphBuilder b, Node x) => b.Transpose(x, 1, 0);
}
