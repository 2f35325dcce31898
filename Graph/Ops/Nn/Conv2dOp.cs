namespace StaticGraph.Ops;

/// <summary>
/// 2-D cross-correlation (what deep-learning libraries call convolution) of an NCHW input
/// <c>x [N, C, H, W]</c> with a filter <c>w [OC, C/groups, KH, KW]</c>, giving
/// <c>[N, OC, OH, OW]</c>. Square stride, zero padding and dilation; with groups &gt; 1 the
/// channels are split into groups convolved independently (groups = C is depthwise).
/// The gradient is two ops, <see cref="Conv2dBackwardDataOp"/> and <see cref="Conv2dBackwardFilterOp"/>.
/// </summary>
public sealed class Conv2dOp : Op
{
    /// <summary>Creates the op; the attributes are checked when a node is built.</summary>
    public Conv2dOp(int stride = 1, int padding = 0, int dilation = 1, int groups = 1)
    {
        Window = new Conv2dWindow(stride, padding, dilation);
        Groups = groups;
    }

    /// <summary>Stride, padding and dilation.</summary>
    public Conv2dWindow Window { get; }

    /// <summary>Number of channel groups.</summary>
    public int Groups { get; }

    /// <inheritdoc/>
    public override string Name => "conv2d";

    /// <inheritdoc/>
    public override string Attributes => DescribeAttributes(Window, Groups);

    /// <inheritdoc/>
    public override TensorType InferType(IReadOnlyList<TensorType> inputs)
    {
        ExpectArity(inputs, 2);
        ExpectFloat(inputs[0], "the input");
        ExpectSameDType(inputs[0], inputs[1], "input and filter");
        ExpectRank(inputs[0], 4, "the input [N,C,H,W]");
        ExpectRank(inputs[1], 4, "the filter [OC,C/groups,KH,KW]");
        return inputs[0] with { Shape = OutputShape(Window, Groups, inputs[0].Shape, inputs[1].Shape) };
    }

    /// <inheritdoc/>
    public override Node?[] Gradient(GraphBuilder b, Node node, Node dy)
    {
        var (x, w) = (node.Inputs[0], node.Inputs[1]);
        return
        [
            b.Conv2dBackwardData(dy, w, x.Shape, Window.Stride, Window.Padding, Window.Dilation, Groups),
            b.Conv2dBackwardFilter(x, dy, w.Shape, Window.Stride, Window.Padding, Window.Dilation, Groups),
        ];
    }

    /// <summary>The listing form shared by the convolution ops: "stride=1 pad=1", plus dilation and groups when not 1.</summary>
    internal static string DescribeAttributes(Conv2dWindow window, int groups) =>
        $"stride={window.Stride} pad={window.Padding}" +
        (window.Dilation != 1 ? $" dilation={window.Dilation}" : "") +
        (groups != 1 ? $" groups={groups}" : "");

    /// <summary>
    /// The shape rule shared by the convolution ops: the output shape of convolving an input of
    /// shape <paramref name="x"/> (rank 4) with a filter of shape <paramref name="w"/> (rank 4),
    /// failing with a message that names what does not match.
    /// </summary>
    internal static Shape OutputShape(Conv2dWindow window, int groups, Shape x, Shape w)
    {
        window.Validate();
        if (groups < 1) throw Fail($"expected groups >= 1, got {groups}");
        var (n, c, h, wd) = (x[0], x[1], x[2], x[3]);
        var (oc, cPerGroup, kh, kw) = (w[0], w[1], w[2], w[3]);
        if (c % groups != 0) throw Fail($"the input's {c} channels are not divisible by groups={groups}");
        if (oc % groups != 0) throw Fail($"the filter's {oc} output channels are not divisible by groups={groups}");
        if (cPerGroup != c / groups)
        {
            throw Fail(groups == 1
                ? $"the filter expects {cPerGroup} input channels (dimension 1 of {w}), the input has {c}"
                : $"the filter expects {cPerGroup} input channels per group (dimension 1 of {w}), the input's {c} channels in {groups} groups give {c / groups}");
        }
        var (oh, ow) = window.OutputExtents(h, wd, kh, kw);
        return new Shape(n, oc, oh, ow);
    }
}

/// <summary>Builder methods for convolution.</summary>
public static class Conv2dBuilder
{
    /// <summary>
    /// The raw convolution of <paramref name="x"/> [N,C,H,W] with the filter <paramref name="w"/>
    /// [OC,C/groups,KH,KW]; layers that create the filter and a bias are built on top of it.
    /// </summary>
    public static Node Conv2dRaw(this GraphBuilder b, Node x, Node w, int stride = 1, int padding = 0, int dilation = 1, int groups = 1) =>
        b.Apply(new Conv2dOp(stride, padding, dilation, groups), x, w);
}
