namespace StaticGraph.Ops;

/// <summary>
/// The gradient of <see cref="Conv2dOp"/> with respect to its filter: from the forward input
/// <c>x [N, C, H, W]</c> and the output gradient <c>dy [N, OC, OH, OW]</c>, the filter gradient of
/// shape <see cref="FilterShape"/>, summed over the batch.
/// </summary>
public sealed class Conv2dBackwardFilterOp : Op
{
    /// <summary>Creates the op for a forward convolution with a filter of <paramref name="filterShape"/>.</summary>
    public Conv2dBackwardFilterOp(Shape filterShape, int stride = 1, int padding = 0, int dilation = 1, int groups = 1)
    {
        FilterShape = filterShape;
        Window = new Conv2dWindow(stride, padding, dilation);
        Groups = groups;
    }

    /// <summary>Shape of the forward filter, which is the shape of this op's output.</summary>
    public Shape FilterShape { get; }

    /// <summary>Stride, padding and dilation of the forward convolution.</summary>
    public Conv2dWindow Window { get; }

    /// <summary>Number of channel groups of the forward convolution.</summary>
    public int Groups { get; }

    /// <inheritdoc/>
    public override string Name => "conv2d_backward_filter";

    /// <inheritdoc/>
    public override string Attributes => Conv2dOp.DescribeAttributes(Window, Groups) + " filter=" + FilterShape;

    /// <inheritdoc/>
    public override TensorType InferType(IReadOnlyList<TensorType> inputs)
    {
        ExpectArity(inputs, 2);
        ExpectFloat(inputs[0], "the input");
        ExpectSameDType(inputs[0], inputs[1], "input and output gradient");
        ExpectRank(inputs[0], 4, "the input [N,C,H,W]");
        ExpectRank(inputs[1], 4, "the output gradient [N,OC,OH,OW]");
        if (FilterShape.Rank != 4) throw Fail($"expected a filter shape attribute of rank 4, got {FilterShape}");
        var expected = Conv2dOp.OutputShape(Window, Groups, inputs[0].Shape, FilterShape);
        if (inputs[1].Shape != expected)
            throw Fail($"expected the output gradient to have shape {expected} (the convolution of {inputs[0].Shape} with {FilterShape}), got {inputs[1].Shape}");
        return inputs[0] with { Shape = FilterShape };
    }

    /// <inheritdoc/>
    /// <remarks>
    /// The op is bilinear in (x, dy): &lt;g, dw(x, dy)&gt; = &lt;conv2d(x, g), dy&gt;, so its own
    /// gradients are an input gradient and a forward convolution.
    /// </remarks>
    public override Node?[] Gradient(GraphBuilder b, Node node, Node g)
    {
        var (x, dy) = (node.Inputs[0], node.Inputs[1]);
        var (s, p, d) = (Window.Stride, Window.Padding, Window.Dilation);
        return [b.Conv2dBackwardData(dy, g, x.Shape, s, p, d, Groups), b.Conv2dRaw(x, g, s, p, d, Groups)];
    }
}

/// <summary>Builder method for <see cref="Conv2dBackwardFilterOp"/>.</summary>
public static class Conv2dBackwardFilterBuilder
{
    /// <summary>
    /// The filter gradient (of <paramref name="filterShape"/>) of a convolution of <paramref name="x"/>,
    /// given the output gradient <paramref name="dy"/>.
    /// </summary>
    public static Node Conv2dBackwardFilter(this GraphBuilder b, Node x, Node dy, Shape filterShape, int stride = 1, int padding = 0, int dilation = 1, int groups = 1) =>
        b.Apply(new Conv2dBackwardFilterOp(filterShape, stride, padding, dilation, groups), x, dy);
}
