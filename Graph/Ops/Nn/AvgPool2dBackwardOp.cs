namespace StaticGraph.Ops;

/// <summary>
/// The input gradient of <see cref="AvgPool2dOp"/>: each output gradient spread evenly over its
/// window (padded positions drop their share). Input: dy; the forward input's shape is an
/// attribute because with stride &gt; 1 several input sizes pool to the same output size.
/// </summary>
public sealed class AvgPool2dBackwardOp(Shape inputShape, int kernel, int stride, int padding = 0) : Op
{
    /// <summary>Shape of the forward input, which is the shape of this op's output.</summary>
    public Shape InputShape { get; } = inputShape;

    /// <summary>Window side.</summary>
    public int Kernel { get; } = kernel;

    /// <summary>Window geometry (dilation 1).</summary>
    public Conv2dWindow Window { get; } = new(stride, padding, 1);

    /// <inheritdoc/>
    public override string Name => "avg_pool2d_backward";

    /// <inheritdoc/>
    public override string Attributes => MaxPool2dOp.DescribeAttributes(Kernel, Window) + " input=" + InputShape;

    /// <inheritdoc/>
    public override TensorType InferType(IReadOnlyList<TensorType> inputs)
    {
        ExpectArity(inputs, 1);
        ExpectFloat(inputs[0], "the output gradient");
        var expected = Window.PooledShape(InputShape, Kernel);
        if (inputs[0].Shape != expected)
            throw Fail($"expected the output gradient to have shape {expected} (the pooling of {InputShape}), got {inputs[0].Shape}");
        return inputs[0] with { Shape = InputShape };
    }

    /// <inheritdoc/>
    /// <remarks>The op is linear and the adjoint of average pooling, so its gradient is average pooling.</remarks>
    public override Node?[] Gradient(GraphBuilder b, Node node, Node g) =>
        [b.Apply(new AvgPool2dOp(Kernel, Window.Stride, Window.Padding), g)];
}
