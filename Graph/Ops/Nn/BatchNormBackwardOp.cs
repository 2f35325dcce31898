namespace StaticGraph.Ops;

/// <summary>
/// The input gradient of training-mode <see cref="BatchNormOp"/>, through the batch statistics,
/// as one fused op. Inputs: x [N,C,...], gamma [C], dy (x's shape). With M elements per channel,
/// <c>xhat = (x - mean) * invstd</c> and sums over a channel,
/// <c>dx = gamma * invstd / M * (M*dy - sum(dy) - xhat * sum(dy*xhat))</c>.
/// </summary>
public sealed class BatchNormBackwardOp(double eps = BatchNormOp.DefaultEpsilon) : Op
{
    /// <summary>The forward op's epsilon.</summary>
    public double Eps { get; } = eps;

    /// <inheritdoc/>
    public override string Name => "batch_norm_backward";

    /// <inheritdoc/>
    public override string Attributes => BatchNormOp.DescribeEps(Eps);

    /// <inheritdoc/>
    public override TensorType InferType(IReadOnlyList<TensorType> inputs)
    {
        ExpectArity(inputs, 3);
        BatchNormOp.ExpectEps(Eps);
        var channels = BatchNormOp.ExpectBatchOfChannels(inputs[0], "the input");
        BatchNormOp.ExpectChannelVector(inputs[0], inputs[1], channels, "gamma");
        if (inputs[2] != inputs[0]) throw Fail($"expected the output gradient to have the input's type {inputs[0]}, got {inputs[2]}");
        return inputs[0];
    }

    /// <inheritdoc/>
    public override Node?[] Gradient(GraphBuilder b, Node node, Node outputGradient) =>
        throw new NotSupportedException("second-order gradients of batch normalisation are not supported");
}
