using System.Globalization;

namespace StaticGraph.Ops;

/// <summary>
/// Surrounds a tensor with a constant: along each axis, <see cref="Before"/>[axis] elements
/// before and <see cref="After"/>[axis] after, all equal to <see cref="Value"/>. The gradient is
/// the slice of the output's gradient where the input sits (slicing is the adjoint of padding).
/// </summary>
public sealed class PadOp : Op
{
    /// <summary>Creates the padding; widths are checked against the input when the node is built.</summary>
    public PadOp(int[] before, int[] after, double value)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        Before = [.. before];
        After = [.. after];
        Value = value;
    }

    /// <summary>Elements added before the input along each axis.</summary>
    public IReadOnlyList<int> Before { get; }

    /// <summary>Elements added after the input along each axis.</summary>
    public IReadOnlyList<int> After { get; }

    /// <summary>The value of every added element.</summary>
    public double Value { get; }

    /// <inheritdoc/>
    public override string Name => "pad";

    /// <inheritdoc/>
    public override string Attributes =>
        "[" + string.Join(",", Before.Zip(After, (lo, hi) => $"{lo}:{hi}")) + "] value=" + Value.ToString("G6", CultureInfo.InvariantCulture);

    /// <inheritdoc/>
    public override TensorType InferType(IReadOnlyList<TensorType> inputs)
    {
        ExpectArity(inputs, 1);
        var shape = inputs[0].Shape;
        if (Before.Count != shape.Rank || After.Count != shape.Rank)
            throw Fail($"expected padding widths for each of the {shape.Rank} axes of {shape}, got {Before.Count} before and {After.Count} after");
        if (!inputs[0].DType.IsFloat() && Value != Math.Truncate(Value))
            throw Fail($"the padding value {Value.ToString(CultureInfo.InvariantCulture)} is not an integer, so it cannot pad {inputs[0]}");
        var dims = new int[shape.Rank];
        for (var axis = 0; axis < dims.Length; axis++)
        {
            if (Before[axis] < 0 || After[axis] < 0)
                throw Fail($"padding {Before[axis]}:{After[axis]} of axis {axis} is negative; use slice to crop");
            var padded = (long)shape[axis] + Before[axis] + After[axis];
            if (padded > int.MaxValue) throw Fail($"axis {axis} would have {padded} elements, more than a dimension can hold");
            dims[axis] = (int)padded;
        }
        return inputs[0] with { Shape = new Shape(dims) };
    }

    /// <inheritdoc/>
    public override Node?[] Gradient(GraphBuilder b, Node node, Node dy)
    {
        var x = node.Inputs[0];
        if (!x.DType.IsFloat()) return [null];
        var ends = new int[x.Shape.Rank];
        for (var axis = 0; axis < ends.Length; axis++) ends[axis] = Before[axis] + x.Shape[axis];
        return [b.Slice(dy, [.. Before], ends)];
    }
}

/// <summary>Builder methods for constant padding.</summary>
public static class PadBuilder
{
    /// <summary>
    /// x padded with <paramref name="value"/>: <paramref name="before"/>[axis] elements before and
    /// <paramref name="after"/>[axis] after along each axis (x itself when every width is 0).
    /// </summary>
    public static Node Pad(this GraphBuilder b, Node x, int[] before, int[] after, double value = 0)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        var none = before.Length == x.Shape.Rank && after.Length == x.Shape.Rank && before.All(w => w == 0) && after.All(w => w == 0);
        return none ? x : b.Apply(new PadOp(before, after, value), x);
    }

    /// <summary>x padded with <paramref name="value"/> along one axis only (negative axes count from the end).</summary>
    public static Node Pad(this GraphBuilder b, Node x, int axis, int before, int after, double value = 0)
    {
        var rank = x.Shape.Rank;
        var a = axis < 0 ? axis + rank : axis;
        if (a < 0 || a >= rank)
            throw new GraphBuildException($"pad of {x}: {x.Type}: axis {axis} is out of range for rank {rank}");
        var widthsBefore = new int[rank];
        var widthsAfter = new int[rank];
        (widthsBefore[a], widthsAfter[a]) = (before, after);
        return b.Pad(x, widthsBefore, widthsAfter, value);
    }
}
