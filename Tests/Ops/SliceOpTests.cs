using StaticGraph.Conformance;
using StaticGraph.Ops;
using Xunit;

namespace StaticGraph.Tests.Ops;

public class SliceOpTests
{
    [Fact]
    public void Slices_one_axis()
    {
        var b = new GraphBuilder(DType.F64);
        var x = b.Constant(Evaluate.Iota(12), DType.F64, 3, 4);
        var y = b.Slice(x, 1, 1, 3);
        Assert.Equal(new Shape(3, 2), y.Shape);
        Assert.Equal(new double[] { 1, 2, 5, 6, 9, 10 }, Evaluate.Values(y));
        Assert.Equal(new double[] { 4, 5, 6, 7 }, Evaluate.Values(b.Slice(x, -2, 1, 2)));
    }

    [Theory]
    [InlineData(new[] { 2, 3, 4 }, new[] { 0, 1, 1 }, new[] { 2, 3, 3 })]
    [InlineData(new[] { 2, 3, 4 }, new[] { 1, 0, 0 }, new[] { 2, 3, 4 })] // inner axes whole: one block
    [InlineData(new[] { 200, 300 }, new[] { 7, 13 }, new[] { 190, 299 })] // several tasks
    [InlineData(new[] { 5, 200, 1, 64 }, new[] { 1, 3, 0, 0 }, new[] { 4, 199, 1, 64 })]
    public void Matches_a_naive_box_in_every_dtype(int[] dims, int[] starts, int[] ends)
    {
        foreach (var dtype in new[] { DType.F64, DType.F32, DType.I32 })
        {
            var b = new GraphBuilder();
            var shape = new Shape(dims);
            var values = Evaluate.Iota(shape.ElementCount);
            var y = b.Slice(b.Constant(values, dtype, dims), starts, ends);
            Assert.Equal(Naive(values, shape, starts, ends), Evaluate.Values(y));
        }
    }

    [Fact]
    public void A_slice_covering_everything_returns_the_input_node()
    {
        var b = new GraphBuilder(DType.F64);
        var x = b.Input("x", DType.F64, 2, 3);
        Assert.Same(x, b.Slice(x, 1, 0, 3));
    }

    [Fact]
    public void Gradient_matches_central_differences() =>
        GradientChecker.Check("slice", (b, x) => b.Slice(x[0], [1, 0, 2], [3, 4, 4]), [3, 4, 5]);

    [Theory]
    [InlineData(new[] { 0, 2 }, new[] { 2, 2 }, "range 2:2 of axis 1 is empty or outside 0:3")]
    [InlineData(new[] { 0, 1 }, new[] { 2, 4 }, "range 1:4 of axis 1 is empty or outside 0:3")]
    [InlineData(new[] { -1, 0 }, new[] { 2, 3 }, "range -1:2 of axis 0")]
    [InlineData(new[] { 0 }, new[] { 2 }, "a range for each of the 2 axes")]
    public void A_bad_range_fails_when_the_node_is_built(int[] starts, int[] ends, string expected)
    {
        var b = new GraphBuilder(DType.F64);
        var x = b.Input("x", DType.F64, 2, 3);
        var e = Assert.Throws<GraphBuildException>(() => b.Slice(x, starts, ends));
        Assert.Contains("slice", e.Message);
        Assert.Contains("f64[2,3]", e.Message);
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void A_bad_axis_fails_when_the_node_is_built()
    {
        var b = new GraphBuilder(DType.F64);
        var e = Assert.Throws<GraphBuildException>(() => b.Slice(b.Input("x", DType.F64, 2, 3), 2, 0, 1));
        Assert.Contains("slice", e.Message);
        Assert.Contains("f64[2,3]", e.Message);
        Assert.Contains("axis 2 is out of range", e.Message);
    }

    internal static double[] Naive(double[] x, Shape shape, int[] starts, int[] ends)
    {
        var outDims = starts.Select((s, d) => ends[d] - s).ToArray();
        var strides = shape.Strides();
        var y = new double[outDims.Aggregate(1L, (a, d) => a * d)];
        for (long o = 0; o < y.Length; o++)
        {
            long rest = o, src = 0;
            for (var d = outDims.Length - 1; d >= 0; d--)
            {
                src += (rest % outDims[d] + starts[d]) * strides[d];
                rest /= outDims[d];
            }
            y[o] = x[src];
        }
        return y;
    }
}
