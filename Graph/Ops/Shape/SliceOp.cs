namespace StaticGraph.Ops;

/// <summary>
/// The sub-tensor <c>x[starts[0]:ends[0], starts[1]:ends[1], ...]</c> with step 1: one half-open
/// range per axis, each non-empty and inside the input. The gradient pads the output's gradient
/// back to the input's shape with zeros (padding is the adjoint of slicing).
/// </summary>
public sealed class SliceOp : Op
{
    /// <summary>Creates the slice; the ranges are checked against the input when the node is built.</summary>
    public SliceOp(int[] starts, int[] ends)
    {
        ArgumentNullException.ThrowIfNull(starts);
        ArgumentNullException.ThrowIfNull(ends);
        Starts = [.. starts];
        Ends = [.. ends];
    }

    /// <summary>First index kept along each axis.</summary>
    public IReadOnlyList<int> Starts { get; }

    /// <summary>One past the last index kept along each axis.</summary>
    public IReadOnlyList<int> Ends { get; }

    /// <inheritdoc/>
    public override string Name => "slice";

    /// <inheritdoc/>
    public override string Attributes => "[" + string.Join(",", Starts.Zip(Ends, (s, e) => $"{s}:{e}")) + "]";

    /// <inheritdoc/>
    public override TensorType InferType(IReadOnlyList<TensorType> inputs)
    {
        ExpectArity(inputs, 1);
        var shape = inputs[0].Shape;
        if (Starts.Count != shape.Rank || Ends.Count != shape.Rank)
            throw Fail($"expected a range for each of the {shape.Rank} axes of {shape}, got {Starts.Count} starts and {Ends.Count} ends");
        var dims = new int[shape.Rank];
        for (var axis = 0; axis < dims.Length; axis++)
        {
            if (Starts[axis] < 0 || Starts[axis] >= Ends[axis] || Ends[axis] > shape[axis])
                throw Fail($"range {Starts[axis]}:{Ends[axis]} of axis {axis} is empty or outside 0:{shape[axis]}");
            dims[axis] = Ends[axis] - Starts[axis];
        }
        return inputs[0] with { Shape = new Shape(dims) };
    }

    /// <inheritdoc/>
    public override Node?[] Gradient(GraphBuilder b, Node node, Node dy)
    {
        var x = node.Inputs[0];
        if (!x.DType.IsFloat()) return [null];
        var after = new int[x.Shape.Rank];
        for (var axis = 0; axis < after.Length; axis++) after[axis] = x.Shape[axis] - Ends[axis];
        return [b.Pad(dy, [.. Starts], after, 0)];
    }
}

/// <summary>Builder methods for slicing.</summary>
public static class SliceBuilder
{
    /// <summary>x[starts:ends] with one half-open range per axis (x itself when the ranges cover it).</summary>
    public static Node Slice(this GraphBuilder b, Node x, int[] starts, int[] ends)
    {
        ArgumentNullException.ThrowIfNull(starts);
        ArgumentNullException.ThrowIfNull(ends);
        var whole = starts.Length == x.Shape.Rank && ends.Length == x.Shape.Rank
            && starts.All(s => s == 0) && ends.Select((e, axis) => e == x.Shape[axis]).All(full => full);
        return whole ? x : b.Apply(new SliceOp(starts, ends), x);
    }

    /// <summary>
    /// x restricted to [<paramref name="start"/>, <paramref name="end"/>) along one axis (negative
    /// axes count from the end); the other axes are kept whole.
    /// </summary>
    public static Node Slice(this GraphBuilder b, Node x, int axis, int start, int end)
    {
        var rank = x.Shape.Rank;
        var a = axis < 0 ? axis + rank : axis;
        if (a < 0 || a >= rank)
            throw new GraphBuildException($"slice of {x}: {x.Type}: axis {axis} is out of range for rank {rank}");
        var starts = new int[rank];
        var ends = x.Shape.ToArray();
        (starts[a], ends[a]) = (start, end);
        return b.Slice(x, starts, ends);
    }
}
