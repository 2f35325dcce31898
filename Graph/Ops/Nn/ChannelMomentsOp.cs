namespace StaticGraph.Ops;

/// <summary>
/// Per-channel batch statistics of <c>x [N, C, ...]</c> over every axis but 1, as a [2, C] tensor:
/// row 0 the mean, row 1 the unbiased variance (divided by M - 1, PyTorch's convention for
/// running_var). The running-statistics update of batch normalisation is built from it; it has
/// no gradient.
/// </summary>
public sealed class ChannelMomentsOp : Op
{
    /// <inheritdoc/>
    public override string Name => "channel_moments";

    /// <inheritdoc/>
    public override TensorType InferType(IReadOnlyList<TensorType> inputs)
    {
        ExpectArity(inputs, 1);
        var channels = BatchNormOp.ExpectBatchOfChannels(inputs[0], "the input");
        var perChannel = inputs[0].Shape.ElementCount / channels;
        if (perChannel < 2) throw Fail($"the unbiased variance needs at least 2 values per channel, the input has {perChannel}");
        return inputs[0] with { Shape = new Shape(2, channels) };
    }

    /// <inheritdoc/>
    public override Node?[] Gradient(GraphBuilder b, Node node, Node outputGradient) => NoGradient(node);
}

/// <summary>Builder method for <see cref="ChannelMomentsOp"/>.</summary>
public static class ChannelMomentsBuilder
{
    /// <summary>[2, C]: each channel's batch mean (row 0) and unbiased variance (row 1).</summary>
    public static Node ChannelMoments(this GraphBuilder b, Node x) => b.Apply(new ChannelMomentsOp(), x);
}
