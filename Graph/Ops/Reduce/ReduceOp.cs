namespace StaticGraph.Ops;

/// <summary>Sum, mean or max over a set of axes, keeping them as size 1 or dropping them.</summary>
public sealed class ReduceOp : Op
{
    /// <summary>Creates the reduction; axes may be negative and must be distinct.</summary>
    public ReduceOp(ReduceFunction function, int[] axes, bool keepDims)
    {
        Function = function;
        Axes = [.. axes];
        KeepDims = keepDims;
    }

    /// <summary>Which reduction.</summary>
    public ReduceFunction Function { get; }

    /// <summary>The axes reduced over, as given (possibly negative).</summary>
    public IReadOnlyList<int> Axes { get; }

    /// <summary>Whether reduced axes stay as size 1.</summary>
    public bool KeepDims { get; }

    /// <inheritdoc/>
    public override string Name => "reduce_" + Function.ToString().ToLowerInvariant();

    /// <inheritdoc/>
    public override string Attributes => $"axes=[{string.Join(",", Axes)}]" + (KeepDims ? " keepdims" : "");

    /// <summary>The axes normalised against an input shape, sorted.</summary>
    public int[] NormalisedAxes(Shape input)
    {
        var axes = new int[Axes.Count];
        for (var i = 0; i < axes.Length; i++)
        {
            var a = Axes[i] < 0 ? Axes[i] + input.Rank : Axes[i];
            if (a < 0 || a >= input.Rank) throw Fail($"axis {Axes[i]} is out of range for shape {input}");
            axes[i] = a;
        }
        Array.Sort(axes);
        for (var i = 1; i < axes.Length; i++)
            if (axes[i] == axes[i - 1]) throw Fail($"axis {axes[i]} is listed twice");
        return axes;
    }

    /// <summary>The input shape with reduced axes set to 1.</summary>
    public Shape KeptShape(Shape input)
    {
        var dims = input.ToArray();
        foreach (var a in NormalisedAxes(input)) dims[a] = 1;
        return new Shape(dims);
    }

    /// <inheritdoc/>
    public override TensorType InferType(IReadOnlyList<TensorType> inputs)
    {
        ExpectArity(inputs, 1);
        ExpectFloat(inputs[0], "the operand");
        if (Axes.Count == 0) throw Fail("expected at least one axis to reduce");
        var input = inputs[0].Shape;
        var axes = NormalisedAxes(input);
        var dims = new List<int>();
        for (var i = 0; i < input.Rank; i++)
        {
            if (Array.IndexOf(axes, i) < 0) dims.Add(input[i]);
            else if (KeepDims) dims.Add(1);
        }
        return inputs[0] with { Shape = new Shape([.. dims]) };
    }

    /// <inheritdoc/>
    public override Node?[] Gradient(GraphBuilder b, Node node, Node dy)
    {
        var x = node.Inputs[0];
        var kept = KeptShape(x.Shape);
        var dyKept = b.Reshape(dy, kept);
        var spread = b.BroadcastTo(dyKept, x.Shape);
        return Function switch
        {
            ReduceFunction.Sum => [spread],
            // Scale the small tensor, then spread it: one pass over the large one.
            ReduceFunction.Mean => [b.BroadcastTo(b.Scale(dyKept, (double)kept.ElementCount / x.Shape.ElementCount), x.Shape)],
            // Every element equal to the maximum receives the gradient (ties are kinks).
            ReduceFunction.Max => [b.Mul(spread, b.Equal(x, b.Reshape(node, kept)))],
            _ => throw new NotSupportedException($"no gradient rule for {Function}"),
        };
    }
}

/// <summary>Builder methods for reductions.</summary>
public static class ReduceBuilder
{
    /// <summary>Sum over <paramref name="axes"/>.</summary>
    public static Node Sum(this GraphBuilder b, Node x, int[] axes, bool keepDims = false) => b.Apply(new ReduceOp(ReduceFunction.Sum, axes, keepDims), x);

    /// <summary>Mean over <paramref name="axes"/>.</summary>
    public static Node Mean(this GraphBuilder b, Node x, int[] axes, bool keepDims = false) => b.Apply(new ReduceOp(ReduceFunction.Mean, axes, keepDims), x);

    /// <summary>Max over <paramref name="axes"/>.</summary>
    public static Node ReduceMax(this GraphBuilder b, Node x, int[] axes, bool keepDims = false) => b.Apply(new ReduceOp(ReduceFunction.Max, axes, keepDims), x);

    /// <summary>Sum of every element, as a scalar.</summary>
    public static Node SumAll(this GraphBuilder b, Node x) => b.Sum(x, Enumerable.Range(0, x.Shape.Rank).ToArray());

    /// <summary>Mean of every element, as a scalar.</summary>
    public static Node MeanAll(this GraphBuilder b, Node x) => b.Mean(x, Enumerable.Range(0, x.Shape.Rank).ToArray());

    /// <summary>Global average pooling: [N,C,H,W] to [N,C].</summary>
    public static Node GlobalAvgPool(this GraphBuilder b, Node x) => b.Mean(x, [2, 3]);
}
