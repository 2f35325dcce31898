namespace StaticGraph.Ops;

/// <summary>
/// The gradient of <see cref="Conv2dOp"/> with respect to its input: from the output gradient
/// <c>dy [N, OC, OH, OW]</c> and the filter <c>w</c>, the input gradient of shape
/// <see cref="InputShape"/> (the transposed convolution). The input shape is an attribute because
/// with stride &gt; 1 several input sizes give the same output size.
/// </summary>
public sealed class Conv2dBackwardDataOp : Op
{
    /// <summary>Creates the op for a forward convolution of an input of <paramref name="inputShape"/>.</summary>
    public Conv2dBackwardDataOp(Shape inputShape, int stride = 1, int padding = 0, int dilation = 1, int groups = 1)
    {
        InputShape = inputShape;
        Window = new Conv2dWindow(stride, padding, dilation);
        Groups = groups;
    }

    /// <summary>Shape of the forward input, which is the shape of this op's output.</summary>
    public Shape InputShape { get; }

    /// <summary>Stride, padding and dilation of the forward convolution.</summary>
    public Conv2dWindow Window { get; }

    /// <summary>Number of channel groups of the forward convolution.</summary>
    public int Groups { get; }

    /// <inheritdoc/>
    public override string Name => "conv2d_backward_data";

    /// <inheritdoc/>
    public override string Attributes => Conv2dOp.DescribeAttributes(Window, Groups) + " input=" + InputShape;

    /// <inheritdoc/>
    public override TensorType InferType(IReadOnlyList<TensorType> inputs)
    {
        ExpectArity(inputs, 2);
        ExpectFloat(inputs[0], "the output gradient");
        ExpectSameDType(inputs[0], inputs[1], "output gradient and filter");
        ExpectRank(inputs[0], 4, "the output gradient [N,OC,OH,OW]");
        ExpectRank(inputs[1], 4, "the filter [OC,C/groups,KH,KW]");
        if (InputShape.Rank != 4) throw Fail($"expected an input shape attribute of rank 4, got {InputShape}");
        var expected = Conv2dOp.OutputShape(Window, Groups, InputShape, inputs[1].Shape);
        if (inputs[0].Shape != expected)
            throw Fail($"expected the output gradient to have shape {expected} (the convolution of {InputShape} with {inputs[1].Shape}), got {inputs[0].Shape}");
        return inputs[0] with { Shape = InputShape };
    }

    /// <inheritdoc/>
    /// <remarks>
    /// The op is bilinear in (dy, w): &lt;g, dx(dy, w)&gt; = &lt;conv2d(g, w), dy&gt;, so its own
    /// gradients are a forward convolution and a filter gradient.
    /// </remarks>
    public override Node?[] Gradient(GraphBuilder b, Node node, Node g)
    {
        var (dy, w) = (node.Inputs[0], node.Inputs[1]);
        var (s, p, d) = (Window.Stride, Window.Padding, Window.Dilation);
        return [b.Conv2dRaw(g, w, s, p, d, Groups), b.Conv2dBackwardFilter(g, dy, w.Shape, s, p, d, Groups)];
    }
}

/// <summary>Builder method for <see cref="Conv2dBackwardDataOp"/>.</summary>
public static class Conv2dBackwardDataBuilder
{
    /// <summary>
    /// The input gradient of a convolution of an input of <paramref name="inputShape"/> with
    /// <paramref name="w"/>, given the output gradient <paramref name="dy"/>.
    /// </summary>
    public static Node Conv2dBackwardData(this GraphBuilder b, Node dy, Node w, Shape inputShape, int stride = 1, int padding = 0, int dilation = 1, int groups = 1) =>
        b.Apply(new Conv2dBackwardDataOp(inputShape, stride, padding, dilation, groups), dy, w);
}
