namespace StaticGraph.Ops;

/// <summary>
/// The input gradient of <see cref="MaxPool2dOp"/>. Inputs: the forward input x and the output
/// gradient dy. Each window's gradient goes to its first maximum in row-major order, found again
/// from x (cheaper in memory than keeping argmax indices); overlapping windows add up.
/// </summary>
public sealed class MaxPool2dBackwardOp(int kernel, int stride, int padding = 0) : Op
{
    /// <summary>Window side.</summary>
    public int Kernel { get; } = kernel;

    /// <summary>Window geometry (dilation 1).</summary>
    public Conv2dWindow Window { get; } = new(stride, padding, 1);

    /// <inheritdoc/>
    public override string Name => "max_pool2d_backward";

    /// <inheritdoc/>
    public override string Attributes => MaxPool2dOp.DescribeAttributes(Kernel, Window);

    /// <inheritdoc/>
    public override TensorType InferType(IReadOnlyList<TensorType> inputs)
    {
        ExpectArity(inputs, 2);
        ExpectFloat(inputs[0], "the input");
        ExpectSameDType(inputs[0], inputs[1], "input and output gradient");
        var expected = Window.PooledShape(inputs[0].Shape, Kernel);
        if (inputs[1].Shape != expected)
            throw Fail($"expected the output gradient to have the pooled shape {expected}, got {inputs[1].Shape}");
        return inputs[0];
    }

    /// <inheritdoc/>
    public override Node?[] Gradient(GraphBuilder b, Node node, Node outputGradient) =>
        throw new NotSupportedException("second-order gradients of max pooling are not supported");
}
