using StaticGraph.Conformance;
using StaticGraph.Ops;
using Xunit;

namespace StaticGraph.Tests.Ops;

public class ConcatOpTests
{
    [Fact]
    public void Joins_columns_and_rows()
    {
        var b = new GraphBuilder(DType.F64);
        var left = b.Constant([1, 2], DType.F64, 2, 1);
        var right = b.Constant([3, 4, 5, 6], DType.F64, 2, 2);
        var columns = b.Concat(-1, left, right);
        Assert.Equal(new Shape(2, 3), columns.Shape);
        Assert.Equal(new double[] { 1, 3, 4, 2, 5, 6 }, Evaluate.Values(columns));

        var rows = b.Concat(0, b.Reshape(left, 1, 2), right);
        Assert.Equal(new Shape(3, 2), rows.Shape);
        Assert.Equal(new double[] { 1, 2, 3, 4, 5, 6 }, Evaluate.Values(rows));
    }

    [Theory]
    [InlineData(DType.F32)]
    [InlineData(DType.I32)]
    public void Large_joins_across_tasks_match_a_naive_copy(DType dtype)
    {
        var b = new GraphBuilder();
        var first = b.Constant(Evaluate.Iota(300 * 100), dtype, 300, 100);
        var second = b.Constant(Evaluate.Iota(300 * 50).Select(v => -v).ToArray(), dtype, 300, 50);
        var y = b.Concat(1, first, second);
        var expected = new double[300 * 150];
        for (var r = 0; r < 300; r++)
        {
            for (var c = 0; c < 100; c++) expected[r * 150 + c] = r * 100 + c;
            for (var c = 0; c < 50; c++) expected[r * 150 + 100 + c] = -(r * 50 + c);
        }
        Assert.Equal(expected, Evaluate.Values(y));
    }

    [Fact]
    public void Gradient_matches_central_differences() =>
        GradientChecker.Check("concat", (b, x) => b.Concat(1, x[0], x[1], x[2]), [2, 1, 3], [2, 2, 3], [2, 3, 3]);

    [Fact]
    public void Mismatched_dtypes_fail_when_the_node_is_built()
    {
        var b = new GraphBuilder(DType.F64);
        var e = Assert.Throws<GraphBuildException>(() => b.Concat(0, b.Input("a", DType.F64, 2, 3), b.Input("b", DType.F32, 2, 3)));
        Assert.Contains("concat", e.Message);
        Assert.Contains("f64[2,3]", e.Message);
        Assert.Contains("f32[2,3]", e.Message);
        Assert.Contains("same dtype", e.Message);
    }

    [Fact]
    public void Other_dimensions_must_agree()
    {
        var b = new GraphBuilder(DType.F64);
        var e = Assert.Throws<GraphBuildException>(() => b.Concat(0, b.Input("a", DType.F64, 2, 3), b.Input("b", DType.F64, 2, 4)));
        Assert.Contains("concat", e.Message);
        Assert.Contains("f64[2,4]", e.Message);
        Assert.Contains("dimension 1 differs", e.Message);
    }

    [Fact]
    public void Ranks_axes_and_arity_are_checked()
    {
        var b = new GraphBuilder(DType.F64);
        var a = b.Input("a", DType.F64, 2, 3);
        Assert.Contains("rank 2", Assert.Throws<GraphBuildException>(() => b.Concat(0, a, b.Input("b", DType.F64, 6))).Message);
        Assert.Contains("axis 2 is out of range", Assert.Throws<GraphBuildException>(() => b.Concat(2, a, a)).Message);
        Assert.Contains("at least one input", Assert.Throws<GraphBuildException>(() => b.Concat(0)).Message);
    }
}
