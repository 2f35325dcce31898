using static StaticGraph.Conformance.Ops.CaseHelpers;

namespace StaticGraph.Conformance.Ops;

/// <summary>Sum, mean and max over chosen axes, reductions long enough to take two passes, and max's special values.</summary>
internal static class ReduceCases
{
    private static readonly (string Name, int[] Axes, bool Keep)[] AxisSets =
        [("axis-1", [1], false), ("axes-0-2", [0, 2], false), ("last-kept", [-1], true), ("axes-1-3-kept", [1, 3], true), ("all", [0, 1, 2, 3], false)];

    /// <summary>Every case of the family.</summary>
    public static IEnumerable<OpCase> All()
    {
        foreach (var f in new[] { ReduceFunction.Sum, ReduceFunction.Mean, ReduceFunction.Max })
        {
            var name = new ReduceOp(f, [0], false).Name;
            foreach (var (variant, axes, keep) in AxisSets)
                yield return Case<ReduceOp>($"{name}/{variant}", [In("x", [3, 4, 5, 6], f == ReduceFunction.Max ? Values.Distinct : Values.Normal)],
                    (b, x) => b.Apply(new ReduceOp(f, axes, keep), x[0]));
        }
        // Above 4096 elements per output the CUDA kernels sum fixed chunks and then combine them.
        yield return Cases<ReduceOp>("reduce/long-rows", [In("rows", [2, 5000], Values.Distinct)],
            (b, x) => [b.Sum(x[0], [1]), b.Mean(x[0], [1]), b.ReduceMax(x[0], [1])]);
        yield return Case<ReduceOp>("reduce_mean/long-columns", [In("columns", [4500, 3])], (b, x) => b.Mean(x[0], [0], keepDims: true));
        // NaN wins, ties, signed zeros and extremes (no infinities: errors take differences).
        yield return Cases<ReduceOp>("reduce_max/nan-ties-zeros", [CaseInput.Data("x", [5, 4], Values.Fixed(
            -0.0, 0.0, -1, -2, 3, double.NaN, 7, 1, 2, 2, 2, 2, -3e38, -3e38, -3e38, -3e38, 0.0, -0.0, -0.0, -0.0))],
            (b, x) => [b.ReduceMax(x[0], [1]), b.ReduceMax(x[0], [0])]).ForwardOnly();
    }
}
