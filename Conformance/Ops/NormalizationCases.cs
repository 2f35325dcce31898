using static StaticGraph.Conformance.Ops.CaseHelpers;

namespace StaticGraph.Conformance.Ops;

/// <summary>Batch normalisation (batch and running statistics, with its statistics outputs) and its backward op.</summary>
internal static class NormalizationCases
{
    /// <summary>Every case of the family.</summary>
    public static IEnumerable<OpCase> All()
    {
        // 1800 values per channel in [2,3,30,30]: more than one chunk of partial sums on CUDA.
        foreach (var (name, shape) in new (string, int[])[] { ("nchw", [4, 3, 5, 5]), ("many-chunks", [2, 3, 30, 30]), ("matrix", [6, 4]), ("rank-5", [3, 2, 4, 1, 3]) })
        {
            yield return BatchNorm($"batch_norm/training-{name}", shape, ProgramMode.Training);
            // The backward op takes the forward's statistics outputs and gives (dx, dgamma, dbeta) from one pass of sums.
            yield return Cases<BatchNormBackwardOp>($"batch_norm_backward/{name}",
                [In("x", shape), In("gamma", [shape[1]]), In("dy", shape), CaseInput.Data("mean", [shape[1]], Values.Normal), CaseInput.Data("var", [shape[1]], Values.Positive)],
                (b, x) =>
                {
                    var (_, mean, variance) = b.BatchNormWithStatistics(x[0], x[1], b.Scale(x[1], 0), x[3], x[4], eps: 1e-3);
                    return [.. b.ApplyMulti(new BatchNormBackwardOp(1e-3), x[0], x[1], x[2], mean, variance)];
                }).Training().ForwardOnly();
        }
        // The gradient rule has training semantics (a gradient is built before the program's mode is known): forward only.
        yield return BatchNorm("batch_norm/inference", [3, 4, 2, 3], ProgramMode.Inference).ForwardOnly();
        // f32 moments must stay accurate when the mean dwarfs the spread: E[x²] - E[x]² in f32 would lose three digits of the
        // variance at a mean of 100. The normalised output itself carries f32's rounding of x - mean, about
        // |mean| / std ulps: at a mean of 100 that is 2.4e-4 against the output's scale, so it is checked at a mean of 10.
        yield return BatchNorm("batch_norm/training-large-mean", [4, 2, 6, 6], ProgramMode.Training, Values.Uniform(9, 11)).ForwardOnly();
        // The statistics themselves stay accurate at a mean of 100 (two-pass moments in double).
        yield return BatchNorm("batch_norm/statistics-large-mean", [4, 2, 6, 6], ProgramMode.Training, Values.Uniform(99, 101), statisticsOnly: true).ForwardOnly();
    }

    /// <summary>
    /// x, gamma, beta fed (differentiable); running mean and a positive running variance fed as data. The outputs are y and
    /// the statistics outputs (the batch's in training, the running ones in inference), or the statistics alone.
    /// </summary>
    private static OpCase BatchNorm(string name, int[] shape, ProgramMode mode, ValueSource? x = null, bool statisticsOnly = false) =>
        Cases<BatchNormOp>(name, [In("x", shape, x), In("gamma", [shape[1]]), In("beta", [shape[1]]),
            CaseInput.Data("mean", [shape[1]], Values.Normal), CaseInput.Data("var", [shape[1]], Values.Positive)],
            (b, i) =>
            {
                var (y, mean, variance) = b.BatchNormWithStatistics(i[0], i[1], i[2], i[3], i[4], eps: 1e-3);
                return statisticsOnly ? [mean, variance] : [y, mean, variance];
            }).InMode(mode);
}
