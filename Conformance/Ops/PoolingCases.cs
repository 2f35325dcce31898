using static StaticGraph.Conformance.Ops.CaseHelpers;

namespace StaticGraph.Conformance.Ops;

/// <summary>Max and average pooling and their gradients over windows with stride and padding; ties and NaN for max.</summary>
internal static class PoolingCases
{
    /// <summary>Input [n,c,h,w], kernel, stride, padding.</summary>
    private static readonly (string Name, int[] X, int Kernel, int Stride, int Pad)[] Windows =
    [
        ("2x2", [2, 3, 8, 8], 2, 2, 0),
        ("3x3-strided-padded", [2, 2, 9, 7], 3, 2, 1),
        ("3x3-overlapping", [1, 3, 7, 6], 3, 1, 1),
        ("2x2-stride-3", [2, 2, 7, 9], 2, 3, 1),
        ("whole-image", [1, 2, 5, 5], 5, 1, 2),
        ("1x1-strided", [3, 1, 4, 6], 1, 2, 0),
    ];

    /// <summary>Every case of the family.</summary>
    public static IEnumerable<OpCase> All()
    {
        foreach (var (name, xs, kernel, stride, pad) in Windows)
        {
            var ys = new[] { xs[0], xs[1], (xs[2] + 2 * pad - kernel) / stride + 1, (xs[3] + 2 * pad - kernel) / stride + 1 };
            // Distinct values: every window's maximum is unique, so the gradient is defined.
            yield return Case<MaxPool2dOp>($"max_pool2d/{name}", [In("x", xs, Values.Distinct)], (b, x) => b.MaxPool2d(x[0], kernel, stride, pad));
            // Ties: the first maximum of a window takes its gradient (a rule, not a derivative: forward only).
            yield return Case<MaxPool2dBackwardOp>($"max_pool2d_backward/{name}-ties", [CaseInput.Data("x", xs, Values.Ties), In("dy", ys)],
                (b, x) => b.Apply(new MaxPool2dBackwardOp(kernel, stride, pad), x[0], x[1])).ForwardOnly();
            yield return Case<AvgPool2dOp>($"avg_pool2d/{name}", [In("x", xs)], (b, x) => b.AvgPool2d(x[0], kernel, stride, pad));
            yield return Case<AvgPool2dBackwardOp>($"avg_pool2d_backward/{name}", [In("dy", ys)],
                (b, x) => b.Apply(new AvgPool2dBackwardOp(new Shape(xs), kernel, stride, pad), x[0]));
        }
        double[] special = [1, double.NaN, 3, 3, double.NegativeInfinity, 2, 3, 0, double.NegativeInfinity, double.NegativeInfinity, 5, double.NaN, 1, 1, 1, 1];
        yield return Cases<MaxPool2dOp>("max_pool2d/nan-wins", [CaseInput.Data("x", [1, 1, 4, 4], Values.Fixed(special)), In("dy", [1, 1, 3, 3])],
            (b, x) => [b.MaxPool2d(x[0], 2, 1), b.Apply(new MaxPool2dBackwardOp(2, 1), x[0], x[1])]).ForwardOnly();
    }
}
