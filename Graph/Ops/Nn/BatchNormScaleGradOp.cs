namespace StaticGraph.Ops;

/// <summary>
/// The gamma gradient of training-mode <see cref="BatchNormOp"/>: per channel,
/// <c>sum(dy * xhat)</c> with <c>xhat</c> normalised by the batch statistics of x.
/// Inputs: x [N,C,...] and dy (x's shape); output [C].
/// </summary>
public sealed class BatchNormScaleGradOp(double eps = BatchNormOp.DefaultEpsilon) : Op
{
    /// <summary>The forward op's epsilon.</summary>
    public double Eps { get; } = eps;

    /// <inheritdoc/>
    public override string Name => "batch_norm_scale_grad";

    /// <inheritdoc/>
    public override string Attributes => BatchNormOp.DescribeEps(Eps);

    /// <inheritdoc/>
    public override TensorType InferType(IReadOnlyList<TensorType> inputs)
    {
        ExpectArity(inputs, 2);
        BatchNormOp.ExpectEps(Eps);
        var channels = BatchNormOp.ExpectBatchOfChannels(inputs[0], "the input");
        if (inputs[1] != inputs[0]) throw Fail($"expected the output gradient to have the input's type {inputs[0]}, got {inputs[1]}");
        return inputs[0] with { Shape = new Shape(channels) };
    }

    /// <inheritdoc/>
    public override Node?[] Gradient(GraphBuilder b, Node node, Node outputGradient) =>
        throw new NotSupportedException("second-order gradients of batch normalisation are not supported");
}
