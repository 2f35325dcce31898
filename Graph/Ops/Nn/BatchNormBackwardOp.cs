namespace StaticGraph.Ops;

/// <summary>
/// The gradients of training-mode <see cref="BatchNormOp"/> through the batch statistics, as one op
/// with three outputs: dx (x's type), dgamma and dbeta (gamma's type [C]). Inputs: x [N,C,...],
/// gamma [C], dy (x's type), and the forward op's mean and biased variance outputs
/// (<see cref="BatchNormOp.StatisticsType"/> [C]), which are reused rather than computed again.
/// With M elements per channel, <c>xhat = (x - mean) * invstd</c> and the two sums over a channel
/// <c>sum(dy)</c> and <c>sum(dy*xhat)</c>, taken in one pass:
/// <c>dbeta = sum(dy)</c>, <c>dgamma = sum(dy*xhat)</c> and
/// <c>dx = gamma * invstd / M * (M*dy - sum(dy) - xhat * sum(dy*xhat))</c>.
/// </summary>
public sealed class BatchNormBackwardOp(double eps = BatchNormOp.DefaultEpsilon) : MultiOutputOp
{
    /// <summary>The forward op's epsilon.</summary>
    public double Eps { get; } = eps;

    /// <inheritdoc/>
    public override string Name => "batch_norm_backward";

    /// <inheritdoc/>
    public override string Attributes => BatchNormOp.DescribeEps(Eps);

    /// <inheritdoc/>
    public override TensorType[] InferTypes(IReadOnlyList<TensorType> inputs)
    {
        ExpectArity(inputs, 5);
        BatchNormOp.ExpectEps(Eps);
        var channels = BatchNormOp.ExpectBatchOfChannels(inputs[0], "the input");
        BatchNormOp.ExpectChannelVector(inputs[0], inputs[1], channels, "gamma");
        if (inputs[2] != inputs[0]) throw Fail($"expected the output gradient to have the input's type {inputs[0]}, got {inputs[2]}");
        var statistics = new TensorType(BatchNormOp.StatisticsType, new Shape(channels));
        if (inputs[3] != statistics) throw Fail($"expected the batch mean to be the forward op's statistics output {statistics}, got {inputs[3]}");
        if (inputs[4] != statistics) throw Fail($"expected the batch variance to be the forward op's statistics output {statistics}, got {inputs[4]}");
        return [inputs[0], inputs[1], inputs[1]];
    }

    /// <inheritdoc/>
    public override Node?[] Gradient(GraphBuilder b, Node node, IReadOnlyList<Node?> outputGradients) =>
        throw new NotSupportedException("second-order gradients of batch normalisation are not supported");
}
