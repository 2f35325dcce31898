namespace StaticGraph.Ops;

/// <summary>
/// Joins tensors of one dtype and rank along <see cref="Axis"/>; every other dimension must agree.
/// The gradient of each input is the matching slice of the output's gradient.
/// </summary>
public sealed class ConcatOp(int axis) : Op
{
    /// <summary>The axis joined along, as given (negative counts from the end).</summary>
    public int Axis { get; } = axis;

    /// <inheritdoc/>
    public override string Name => "concat";

    /// <inheritdoc/>
    public override string Attributes => $"axis={Axis}";

    /// <summary>The axis normalised against a rank.</summary>
    public int NormalisedAxis(int rank)
    {
        var a = Axis < 0 ? Axis + rank : Axis;
        if (a < 0 || a >= rank) throw Fail($"axis {Axis} is out of range for rank {rank}");
        return a;
    }

    /// <inheritdoc/>
    public override TensorType InferType(IReadOnlyList<TensorType> inputs)
    {
        if (inputs.Count == 0) throw Fail("expected at least one input");
        var first = inputs[0];
        if (first.Shape.Rank == 0) throw Fail($"cannot concatenate scalars ({first}); reshape them to [1] first");
        var axis = NormalisedAxis(first.Shape.Rank);
        var dims = first.Shape.ToArray();
        long total = 0;
        for (var i = 0; i < inputs.Count; i++)
        {
            var t = inputs[i];
            ExpectSameDType(first, t, $"input 0 and input {i}");
            if (t.Shape.Rank != first.Shape.Rank)
                throw Fail($"expected every input of rank {first.Shape.Rank} like input 0 ({first}), input {i} is {t}");
            for (var d = 0; d < dims.Length; d++)
            {
                if (d != axis && t.Shape[d] != dims[d])
                    throw Fail($"expected every dimension but axis {axis} to match input 0 ({first}), input {i} is {t} (dimension {d} differs)");
            }
            total += t.Shape[axis];
        }
        if (total > int.MaxValue) throw Fail($"the joined axis {axis} would have {total} elements, more than a dimension can hold");
        dims[axis] = (int)total;
        return first with { Shape = new Shape(dims) };
    }

    /// <inheritdoc/>
    public override Node?[] Gradient(GraphBuilder b, Node node, Node dy)
    {
        var axis = NormalisedAxis(node.Shape.Rank);
        var grads = new Node?[node.Inputs.Count];
        if (!node.DType.IsFloat()) return grads;
        var start = 0;
        for (var i = 0; i < grads.Length; i++)
        {
            var length = node.Inputs[i].Shape[axis];
            grads[i] = b.Slice(dy, axis, start, start + length);
            start += length;
        }
        return grads;
    }
}

/// <summary>Builder methods for concatenation.</summary>
public static class ConcatBuilder
{
    /// <summary>The inputs joined along <paramref name="axis"/> (negative counts from the end).</summary>
    public static Node Concat(this GraphBuilder b, int axis, params Node[] inputs) => b.Apply(new ConcatOp(axis), inputs);
}
