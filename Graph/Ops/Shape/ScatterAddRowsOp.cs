namespace StaticGraph.Ops;

/// <summary>
/// The adjoint of <see cref="GatherRowsOp"/>: starts from zeros of <see cref="Rows"/> rows and adds
/// row i of the values to row <c>idx[i]</c>, for i in increasing order, so repeated indices sum in
/// a fixed order and the result is deterministic. An index outside [0, rows) is a run-time error.
/// </summary>
public sealed class ScatterAddRowsOp(int rows) : Op
{
    /// <summary>Rows of the output (the gathered tensor's first dimension).</summary>
    public int Rows { get; } = rows;

    /// <inheritdoc/>
    public override string Name => "scatter_add_rows";

    /// <inheritdoc/>
    public override string Attributes => $"rows={Rows}";

    /// <inheritdoc/>
    public override TensorType InferType(IReadOnlyList<TensorType> inputs)
    {
        ExpectArity(inputs, 2);
        var (values, idx) = (inputs[0], inputs[1]);
        ExpectFloat(values, "the values");
        if (values.Shape.Rank == 0) throw Fail($"expected the values to have rows (rank 1 or more), got {values}");
        if (idx.DType != DType.I32 || idx.Shape.Rank != 1)
            throw Fail($"expected the indices to be an i32 vector [M], got {idx}");
        if (idx.Shape[0] != values.Shape[0])
            throw Fail($"expected one index per row of the values ({values.Shape[0]}), got {idx.Shape[0]}");
        if (Rows <= 0) throw Fail($"expected a positive number of output rows, got {Rows}");
        var dims = values.Shape.ToArray();
        dims[0] = Rows;
        return values with { Shape = new Shape(dims) };
    }

    /// <inheritdoc/>
    public override Node?[] Gradient(GraphBuilder b, Node node, Node dy) => [b.GatherRows(dy, node.Inputs[1]), null];
}

/// <summary>Builder method for <see cref="ScatterAddRowsOp"/>.</summary>
public static class ScatterAddRowsBuilder
{
    /// <summary>
    /// Zeros of <paramref name="rows"/> rows shaped like <paramref name="values"/>' rows, with
    /// values[i] added to row indices[i] (i32 [M]) in increasing i.
    /// </summary>
    public static Node ScatterAddRows(this GraphBuilder b, Node values, Node indices, int rows) =>
        b.Apply(new ScatterAddRowsOp(rows), values, indices);
}
