using StaticGraph.Backend;
using StaticGraph.Backend.Cpu;
using StaticGraph.Conformance;
using StaticGraph.Ops;
using Xunit;

namespace StaticGraph.Tests.Ops;

public class GatherRowsOpTests
{
    [Fact]
    public void Picks_rows_by_index_with_repeats()
    {
        var b = new GraphBuilder(DType.F64);
        var x = b.Constant([1, 2, 3, 4, 5, 6], DType.F64, 3, 2);
        var y = b.GatherRows(x, b.Constant([2, 0, 2, 1], DType.I32, 4));
        Assert.Equal(new Shape(4, 2), y.Shape);
        Assert.Equal(new double[] { 5, 6, 1, 2, 5, 6, 3, 4 }, Evaluate.Values(y));
    }

    [Theory]
    [InlineData(DType.F32)]
    [InlineData(DType.I32)]
    public void Large_gathers_across_tasks_match_a_naive_copy(DType dtype)
    {
        const int rows = 500, width = 300;
        var b = new GraphBuilder();
        var permutation = Enumerable.Range(0, rows).Select(i => (double)(i * 7 % rows)).ToArray();
        var y = b.GatherRows(b.Constant(Evaluate.Iota(rows * width), dtype, rows, width), b.Constant(permutation, DType.I32, rows));
        var expected = new double[rows * width];
        for (var i = 0; i < rows; i++)
            for (var c = 0; c < width; c++) expected[i * width + c] = permutation[i] * width + c;
        Assert.Equal(expected, Evaluate.Values(y));
    }

    [Fact]
    public void Scatter_add_sums_repeated_rows_into_zeros()
    {
        var b = new GraphBuilder(DType.F64);
        var values = b.Constant([1, 2, 3, 4, 5, 6], DType.F64, 3, 2);
        var y = b.ScatterAddRows(values, b.Constant([2, 0, 2], DType.I32, 3), 4);
        Assert.Equal(new Shape(4, 2), y.Shape);
        Assert.Equal(new double[] { 3, 4, 0, 0, 6, 8, 0, 0 }, Evaluate.Values(y));
    }

    [Fact]
    public void Scatter_add_gives_the_same_bits_for_any_thread_count()
    {
        const int rows = 64, width = 3000;
        var b = new GraphBuilder(DType.F32);
        var random = new System.Random(5);
        var values = b.Constant(Values.Normal(4 * rows * width, 50), DType.F32, 4 * rows, width);
        var indices = b.Constant(Enumerable.Range(0, 4 * rows).Select(_ => (double)random.Next(rows)).ToArray(), DType.I32, 4 * rows);
        var y = b.ScatterAddRows(values, indices, rows);
        Assert.Equal(Evaluate.Values(y, threads: 1), Evaluate.Values(y, threads: 2));
    }

    [Fact]
    public void Gather_gradient_matches_central_differences() =>
        GradientChecker.Check("gather_rows", (b, x) => b.GatherRows(x[0], b.Constant([3, 1, 3, 0, 3], DType.I32, 5)), [4, 2, 3]);

    [Fact]
    public void Scatter_add_gradient_matches_central_differences() =>
        GradientChecker.Check("scatter_add_rows", (b, x) => b.ScatterAddRows(x[0], b.Constant([1, 4, 1], DType.I32, 3), 5), [3, 4]);

    [Fact]
    public void An_index_out_of_range_fails_at_run_time_naming_its_position()
    {
        var b = new GraphBuilder(DType.F64);
        var y = b.GatherRows(b.Constant(Evaluate.Iota(6), DType.F64, 3, 2), b.Input("idx", DType.I32, 3));
        using var run = CpuBackend.Instance.Compile(GraphProgram.Inference(y), new CompileOptions(Threads: 2));
        run.SetInput<int>("idx", new[] { 0, 3, 1 });
        var e = Assert.Throws<IndexOutOfRangeException>(run.Run);
        Assert.Contains("gather_rows", e.Message);
        Assert.Contains("row index 3 at position 1", e.Message);
        Assert.Contains("[0, 3)", e.Message);

        run.SetInput<int>("idx", new[] { 0, -1, 1 });
        Assert.Contains("row index -1 at position 1", Assert.Throws<IndexOutOfRangeException>(run.Run).Message);
    }

    [Fact]
    public void Scatter_add_checks_its_indices_at_run_time()
    {
        var b = new GraphBuilder(DType.F64);
        var y = b.ScatterAddRows(b.Constant(Evaluate.Iota(6), DType.F64, 3, 2), b.Input("idx", DType.I32, 3), 2);
        using var run = CpuBackend.Instance.Compile(GraphProgram.Inference(y), new CompileOptions(Threads: 2));
        run.SetInput<int>("idx", new[] { 0, 1, 2 });
        var e = Assert.Throws<IndexOutOfRangeException>(run.Run);
        Assert.Contains("scatter_add_rows", e.Message);
        Assert.Contains("row index 2 at position 2", e.Message);
    }

    [Fact]
    public void Indices_must_be_an_i32_vector()
    {
        var b = new GraphBuilder(DType.F64);
        var x = b.Input("x", DType.F64, 4, 2);
        var e = Assert.Throws<GraphBuildException>(() => b.GatherRows(x, b.Input("idx", DType.F64, 3)));
        Assert.Contains("gather_rows", e.Message);
        Assert.Contains("f64[4,2]", e.Message);
        Assert.Contains("f64[3]", e.Message);
        Assert.Contains("i32 vector", e.Message);
        Assert.Contains("i32 vector", Assert.Throws<GraphBuildException>(() => b.GatherRows(x, b.Input("idx2", DType.I32, 3, 1))).Message);
    }

    [Fact]
    public void Scatter_add_needs_one_index_per_row()
    {
        var b = new GraphBuilder(DType.F64);
        var e = Assert.Throws<GraphBuildException>(() => b.ScatterAddRows(b.Input("v", DType.F64, 3, 2), b.Input("idx", DType.I32, 2), 5));
        Assert.Contains("scatter_add_rows", e.Message);
        Assert.Contains("f64[3,2]", e.Message);
        Assert.Contains("i32[2]", e.Message);
        Assert.Contains("one index per row", e.Message);
        e = Assert.Throws<GraphBuildException>(() => b.ScatterAddRows(b.Input("w", DType.F64, 3, 2), b.Input("j", DType.I32, 3), 0));
        Assert.Contains("scatter_add_rows rows=0", e.Message);
        Assert.Contains("positive number of output rows", e.Message);
    }
}
