using static StaticGraph.Conformance.Ops.CaseHelpers;

namespace StaticGraph.Conformance.Ops;

/// <summary>Batch normalisation (batch and running statistics), its gradient ops and the channel moments.</summary>
internal static class NormalizationCases
{
    /// <summary>Every case of the family.</summary>
    public static IEnumerable<OpCase> All()
    {
        // 1800 values per channel in [2,3,30,30]: more than one chunk of partial sums on CUDA.
        foreach (var (name, shape) in new (string, int[])[] { ("nchw", [4, 3, 5, 5]), ("many-chunks", [2, 3, 30, 30]), ("matrix", [6, 4]), ("rank-5", [3, 2, 4, 1, 3]) })
        {
            yield return BatchNorm($"batch_norm/training-{name}", shape, ProgramMode.Training);
            yield return Case<BatchNormBackwardOp>($"batch_norm_backward/{name}", [In("x", shape), In("gamma", [shape[1]]), In("dy", shape)],
                (b, x) => b.Apply(new BatchNormBackwardOp(1e-3), x[0], x[1], x[2])).Training().ForwardOnly();
            yield return Cases<BatchNormScaleGradOp>($"batch_norm_scale_grad/{name}", [In("x", shape), In("dy", shape)],
                (b, x) => [b.Apply(new BatchNormScaleGradOp(1e-3), x[0], x[1])]).Training().ForwardOnly();
            yield return Case<ChannelMomentsOp>($"channel_moments/{name}", [In("x", shape)], (b, x) => b.ChannelMoments(x[0])).Training().ForwardOnly();
        }
        // The gradient rule has training semantics (a gradient is built before the program's mode is known): forward only.
        yield return BatchNorm("batch_norm/inference", [3, 4, 2, 3], ProgramMode.Inference).ForwardOnly();
        // f32 moments must stay accurate when the mean dwarfs the spread: E[x²] - E[x]² in f32 would lose three digits of the
        // variance at a mean of 100. The normalised output itself carries f32's rounding of x - mean, about
        // |mean| / std ulps: at a mean of 100 that is 2.4e-4 against the output's scale, so it is checked at a mean of 10.
        yield return BatchNorm("batch_norm/training-large-mean", [4, 2, 6, 6], ProgramMode.Training, Values.Uniform(9, 11)).ForwardOnly();
        yield return Case<ChannelMomentsOp>("channel_moments/large-mean", [In("x", [4, 2, 6, 6], Values.Uniform(99, 101))], (b, x) => b.ChannelMoments(x[0])).Training().ForwardOnly();
    }

    /// <summary>x, gamma, beta fed (differentiable); running mean and a positive running variance fed as data.</summary>
    private static OpCase BatchNorm(string name, int[] shape, ProgramMode mode, ValueSource? x = null) =>
        Case<BatchNormOp>(name, [In("x", shape, x), In("gamma", [shape[1]]), In("beta", [shape[1]]),
            CaseInput.Data("mean", [shape[1]], Values.Normal), CaseInput.Data("var", [shape[1]], Values.Positive)],
            (b, i) => b.BatchNormRaw(i[0], i[1], i[2], i[3], i[4], eps: 1e-3)).InMode(mode);
}
