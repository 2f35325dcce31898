namespace StaticGraph.Ops;

/// <summary>
/// Average pooling of <c>x [N, C, H, W]</c> over square windows. Padded positions count as zeros
/// in the divisor (PyTorch's default <c>count_include_pad=True</c>): each window divides by its
/// size clipped to the padded input, which without ceil mode is always kernel*kernel.
/// </summary>
public sealed class AvgPool2dOp(int kernel, int stride, int padding = 0) : Op
{
    /// <summary>Window side.</summary>
    public int Kernel { get; } = kernel;

    /// <summary>Window geometry (dilation 1).</summary>
    public Conv2dWindow Window { get; } = new(stride, padding, 1);

    /// <inheritdoc/>
    public override string Name => "avg_pool2d";

    /// <inheritdoc/>
    public override string Attributes => MaxPool2dOp.DescribeAttributes(Kernel, Window);

    /// <inheritdoc/>
    public override TensorType InferType(IReadOnlyList<TensorType> inputs)
    {
        ExpectArity(inputs, 1);
        ExpectFloat(inputs[0], "the input");
        return inputs[0] with { Shape = Window.PooledShape(inputs[0].Shape, Kernel) };
    }

    /// <inheritdoc/>
    public override Node?[] Gradient(GraphBuilder b, Node node, Node dy) =>
        [b.Apply(new AvgPool2dBackwardOp(node.Inputs[0].Shape, Kernel, Window.Stride, Window.Padding), dy)];
}

/// <summary>Builder method for average pooling.</summary>
public static class AvgPool2dBuilder
{
    /// <summary>
    /// Average pooling of <paramref name="x"/> [N,C,H,W] with a square window of <paramref name="kernel"/>,
    /// moved by <paramref name="stride"/> (the kernel when null, as in PyTorch), padding counted in the divisor.
    /// </summary>
    public static Node AvgPool2d(this GraphBuilder b, Node x, int kernel, int? stride = null, int padding = 0) =>
        b.Apply(new AvgPool2dOp(kernel, stride ?? kernel, padding), x);
}
