using StaticGraph.Conformance;
using StaticGraph.Ops;
using Xunit;

namespace StaticGraph.Tests.Ops;

public class PadOpTests
{
    [Fact]
    public void Pads_with_a_constant()
    {
        var b = new GraphBuilder(DType.F64);
        var x = b.Constant([1, 2, 3, 4], DType.F64, 2, 2);
        var y = b.Pad(x, [1, 0], [0, 2], 7);
        Assert.Equal(new Shape(3, 4), y.Shape);
        Assert.Equal(new double[] { 7, 7, 7, 7, 1, 2, 7, 7, 3, 4, 7, 7 }, Evaluate.Values(y));
        Assert.Equal(new double[] { 0, 1, 2, 0, 0, 3, 4, 0 }, Evaluate.Values(b.Pad(x, -1, 1, 1)));
    }

    [Theory]
    [InlineData(new[] { 3, 100, 120 }, new[] { 0, 2, 4 }, new[] { 0, 3, 1 })] // several tasks
    [InlineData(new[] { 2, 3, 4 }, new[] { 1, 0, 0 }, new[] { 2, 0, 0 })] // inner axes unpadded: one block
    [InlineData(new[] { 4, 1, 5 }, new[] { 2, 1, 0 }, new[] { 0, 1, 3 })]
    public void Matches_a_naive_padding_in_every_dtype(int[] dims, int[] before, int[] after)
    {
        foreach (var dtype in new[] { DType.F64, DType.F32, DType.I32 })
        {
            var b = new GraphBuilder();
            var shape = new Shape(dims);
            var values = Evaluate.Iota(shape.ElementCount).Select(v => v + 1).ToArray();
            var y = b.Pad(b.Constant(values, dtype, dims), before, after, -3);
            Assert.Equal(Naive(values, shape, before, after, -3), Evaluate.Values(y));
        }
    }

    [Fact]
    public void Padding_then_slicing_restores_the_input()
    {
        var b = new GraphBuilder(DType.F64);
        var values = Evaluate.Iota(24);
        var x = b.Constant(values, DType.F64, 2, 3, 4);
        var y = b.Slice(b.Pad(x, [1, 2, 0], [0, 1, 3], 5), [1, 2, 0], [3, 5, 4]);
        Assert.Equal(values, Evaluate.Values(y));
    }

    [Fact]
    public void Gradient_matches_central_differences() =>
        GradientChecker.Check("pad", (b, x) => b.Pad(x[0], [1, 0, 2], [0, 2, 1], 0.5), [2, 3, 2]);

    [Fact]
    public void Negative_widths_fail_when_the_node_is_built()
    {
        var b = new GraphBuilder(DType.F64);
        var e = Assert.Throws<GraphBuildException>(() => b.Pad(b.Input("x", DType.F64, 2, 3), [0, -1], [0, 0]));
        Assert.Contains("pad", e.Message);
        Assert.Contains("f64[2,3]", e.Message);
        Assert.Contains("negative", e.Message);
    }

    [Fact]
    public void Widths_for_every_axis_are_required()
    {
        var b = new GraphBuilder(DType.F64);
        var e = Assert.Throws<GraphBuildException>(() => b.Pad(b.Input("x", DType.F64, 2, 3), [1], [1]));
        Assert.Contains("pad", e.Message);
        Assert.Contains("f64[2,3]", e.Message);
        Assert.Contains("each of the 2 axes", e.Message);
    }

    [Fact]
    public void Integer_tensors_need_an_integer_value()
    {
        var b = new GraphBuilder(DType.F64);
        var e = Assert.Throws<GraphBuildException>(() => b.Pad(b.Input("x", DType.I32, 2, 3), 0, 1, 1, 0.5));
        Assert.Contains("pad", e.Message);
        Assert.Contains("i32[2,3]", e.Message);
        Assert.Contains("not an integer", e.Message);
    }

    private static double[] Naive(double[] x, Shape shape, int[] before, int[] after, double value)
    {
        var outDims = shape.Select((d, i) => d + before[i] + after[i]).ToArray();
        var strides = shape.Strides();
        var y = new double[outDims.Aggregate(1L, (a, d) => a * d)];
        for (long o = 0; o < y.Length; o++)
        {
            long rest = o, src = 0;
            var inside = true;
            for (var d = outDims.Length - 1; d >= 0; d--)
            {
                var i = rest % outDims[d] - before[d];
                rest /= outDims[d];
                inside &= i >= 0 && i < shape[d];
                src += i * strides[d];
            }
            y[o] = inside ? x[src] : value;
        }
        return y;
    }
}
