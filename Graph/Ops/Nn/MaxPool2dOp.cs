namespace StaticGraph.Ops;

/// <summary>
/// Max pooling of <c>x [N, C, H, W]</c> over square windows; padded positions never win (they
/// count as minus infinity). The gradient goes to the first maximum of each window in row-major
/// order (<see cref="MaxPool2dBackwardOp"/>, which recomputes it from x).
/// </summary>
public sealed class MaxPool2dOp(int kernel, int stride, int padding = 0) : Op
{
    /// <summary>Window side.</summary>
    public int Kernel { get; } = kernel;

    /// <summary>Window geometry (dilation 1).</summary>
    public Conv2dWindow Window { get; } = new(stride, padding, 1);

    /// <inheritdoc/>
    public override string Name => "max_pool2d";

    /// <inheritdoc/>
    public override string Attributes => DescribeAttributes(Kernel, Window);

    /// <inheritdoc/>
    public override TensorType InferType(IReadOnlyList<TensorType> inputs)
    {
        ExpectArity(inputs, 1);
        ExpectFloat(inputs[0], "the input");
        return inputs[0] with { Shape = Window.PooledShape(inputs[0].Shape, Kernel) };
    }

    /// <inheritdoc/>
    public override Node?[] Gradient(GraphBuilder b, Node node, Node dy) =>
        [b.Apply(new MaxPool2dBackwardOp(Kernel, Window.Stride, Window.Padding), node.Inputs[0], dy)];

    /// <summary>"kernel=3 stride=2 pad=1", the listing form shared by the pooling ops.</summary>
    internal static string DescribeAttributes(int kernel, Conv2dWindow window) =>
        $"kernel={kernel} stride={window.Stride} pad={window.Padding}";
}

/// <summary>Builder method for max pooling.</summary>
public static class MaxPool2dBuilder
{
    /// <summary>
    /// Max pooling of <paramref name="x"/> [N,C,H,W] with a square window of <paramref name="kernel"/>,
    /// moved by <paramref name="stride"/> (the kernel when null, as in PyTorch).
    /// </summary>
    public static Node MaxPool2d(this GraphBuilder b, Node x, int kernel, int? stride = null, int padding = 0) =>
        b.Apply(new MaxPool2dOp(kernel, stride ?? kernel, padding), x);
}
