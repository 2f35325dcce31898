namespace StaticGraph.Ops;

/// <summary>
/// Picks rows of a tensor by index: <c>y[i] = x[idx[i]]</c> along axis 0, with <c>idx</c> an i32
/// vector of M positions (a batch permutation for Mixup and CutMix; repeats are allowed). An index
/// outside [0, rows) is a run-time error naming the position and the value. The gradient with
/// respect to x scatters the output's gradient back with <see cref="ScatterAddRowsOp"/>; the
/// indices get none.
/// </summary>
public sealed class GatherRowsOp : Op
{
    /// <inheritdoc/>
    public override string Name => "gather_rows";

    /// <inheritdoc/>
    public override TensorType InferType(IReadOnlyList<TensorType> inputs)
    {
        ExpectArity(inputs, 2);
        var (x, idx) = (inputs[0], inputs[1]);
        if (x.Shape.Rank == 0) throw Fail($"expected the source to have rows (rank 1 or more), got {x}");
        if (idx.DType != DType.I32 || idx.Shape.Rank != 1)
            throw Fail($"expected the indices to be an i32 vector [M], got {idx}");
        var dims = x.Shape.ToArray();
        dims[0] = idx.Shape[0];
        return x with { Shape = new Shape(dims) };
    }

    /// <inheritdoc/>
    public override Node?[] Gradient(GraphBuilder b, Node node, Node dy)
    {
        var (x, idx) = (node.Inputs[0], node.Inputs[1]);
        return x.DType.IsFloat() ? [b.ScatterAddRows(dy, idx, x.Shape[0]), null] : [null, null];
    }
}

/// <summary>Builder method for <see cref="GatherRowsOp"/>.</summary>
public static class GatherRowsBuilder
{
    /// <summary>Rows of <paramref name="x"/> picked by <paramref name="indices"/> (i32 [M]): y[i] = x[indices[i]].</summary>
    public static Node GatherRows(this GraphBuilder b, Node x, Node indices) => b.Apply(new GatherRowsOp(), x, indices);
}
