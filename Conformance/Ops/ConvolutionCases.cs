using static StaticGraph.Conformance.Ops.CaseHelpers;

namespace StaticGraph.Conformance.Ops;

/// <summary>Convolutions and their two gradients over geometries with stride, padding, dilation and groups.</summary>
internal static class ConvolutionCases
{
    /// <summary>Input [n,c,h,w], filter [k, c/groups, r, s], stride, padding, dilation, groups.</summary>
    private static readonly (string Name, int[] X, int[] W, int Stride, int Pad, int Dilation, int Groups)[] Geometries =
    [
        ("3x3", [2, 3, 7, 6], [4, 3, 3, 3], 1, 1, 1, 1),
        ("strided-grouped", [2, 4, 9, 7], [6, 2, 3, 3], 2, 0, 1, 2),
        ("dilated", [1, 2, 8, 9], [3, 2, 3, 3], 1, 1, 2, 1),
        ("depthwise-strided", [2, 4, 7, 7], [4, 1, 3, 3], 2, 1, 1, 4),
        ("rectangular-kernel", [1, 3, 5, 7], [2, 3, 2, 3], 2, 1, 1, 1),
        ("1x1-grouped", [2, 6, 5, 5], [4, 3, 1, 1], 1, 0, 1, 2),
    ];

    /// <summary>Every case of the family.</summary>
    public static IEnumerable<OpCase> All()
    {
        foreach (var (name, xs, ws, stride, pad, dilation, groups) in Geometries)
            yield return Case<Conv2dOp>($"conv2d/{name}", [In("x", xs), In("w", ws)], (b, x) => b.Conv2dRaw(x[0], x[1], stride, pad, dilation, groups));
        foreach (var (name, xs, ws, stride, pad, dilation, groups) in Geometries[..2])
        {
            var ys = Conv2dOutput(xs, ws, stride, pad, dilation);
            yield return Case<Conv2dBackwardDataOp>($"conv2d_backward_data/{name}", [In("dy", ys), In("w", ws)],
                (b, x) => b.Conv2dBackwardData(x[0], x[1], new Shape(xs), stride, pad, dilation, groups));
            yield return Case<Conv2dBackwardFilterOp>($"conv2d_backward_filter/{name}", [In("x", xs), In("dy", ys)],
                (b, x) => b.Conv2dBackwardFilter(x[0], x[1], new Shape(ws), stride, pad, dilation, groups));
        }
    }

    private static int[] Conv2dOutput(int[] x, int[] w, int stride, int pad, int dilation)
    {
        int Extent(int input, int kernel) => (input + 2 * pad - dilation * (kernel - 1) - 1) / stride + 1;
        return [x[0], w[0], Extent(x[2], w[2]), Extent(x[3], w[3])];
    }
}
