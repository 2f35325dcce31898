using StaticGraph.Conformance;
using StaticGraph.Ops;
using Xunit;

namespace StaticGraph.Tests.Ops;

public class SoftmaxOpTests
{
    [Fact]
    public void Softmax_normalises_exponentials_along_the_last_axis()
    {
        var b = new GraphBuilder(DType.F64);
        var x = b.Constant([1, 2, 3, 0, 0, Math.Log(2)], DType.F64, 2, 3);
        var e = new[] { Math.Exp(1), Math.Exp(2), Math.Exp(3) };
        var sum = e.Sum();
        Evaluate.AssertClose([e[0] / sum, e[1] / sum, e[2] / sum, 0.25, 0.25, 0.5], Evaluate.Values(b.Softmax(x)), 1e-15);
    }

    [Fact]
    public void Log_softmax_is_the_shifted_logits_minus_the_log_sum()
    {
        var b = new GraphBuilder(DType.F64);
        var x = b.Constant([1, 2, 3, 0, 0, Math.Log(2)], DType.F64, 2, 3);
        var lse = Math.Log(Math.Exp(1) + Math.Exp(2) + Math.Exp(3));
        Evaluate.AssertClose([1 - lse, 2 - lse, 3 - lse, Math.Log(0.25), Math.Log(0.25), Math.Log(0.5)], Evaluate.Values(b.LogSoftmax(x)), 1e-15);
    }

    [Theory]
    [InlineData(DType.F64)]
    [InlineData(DType.F32)]
    public void Large_logits_neither_overflow_nor_underflow(DType dtype)
    {
        var b = new GraphBuilder(dtype);
        var x = b.Constant([1000, 1000 + Math.Log(3), -1000, 0], dtype, 2, 2);
        Evaluate.AssertClose([0.25, 0.75, 0, 1], Evaluate.Values(b.Softmax(x)), 1e-4);
        // Log-softmax stays finite where the softmax underflows to 0.
        Evaluate.AssertClose([Math.Log(0.25), Math.Log(0.75), -1000, 0], Evaluate.Values(b.LogSoftmax(x)), 1e-4);
    }

    [Fact]
    public void Rows_of_higher_rank_tensors_match_in_f32_and_f64_across_tasks()
    {
        var values = Values.Normal(40 * 30 * 50, 8).Select(v => 3 * v).ToArray();
        foreach (SoftmaxFunction fn in Enum.GetValues<SoftmaxFunction>())
        {
            var g64 = new GraphBuilder(DType.F64);
            var y64 = Evaluate.Values(g64.Apply(new SoftmaxOp(fn), g64.Constant(values, DType.F64, 40, 30, 50)));
            var g32 = new GraphBuilder(DType.F32);
            var y32 = Evaluate.Values(g32.Apply(new SoftmaxOp(fn), g32.Constant(values, DType.F32, 40, 30, 50)));
            Evaluate.AssertClose(y64, y32, 1e-5);
            Evaluate.AssertClose(Naive(values, 50, fn), y64, 1e-12);
        }
    }

    [Fact]
    public void Softmax_gradient_matches_central_differences() =>
        GradientChecker.Check("softmax", (b, x) => b.Softmax(x[0]), [3, 5]);

    [Fact]
    public void Log_softmax_gradient_matches_central_differences() =>
        GradientChecker.Check("log_softmax", (b, x) => b.LogSoftmax(x[0]), [2, 2, 4]);

    [Fact]
    public void Scalars_and_integers_fail_when_the_node_is_built()
    {
        var b = new GraphBuilder(DType.F64);
        var e = Assert.Throws<GraphBuildException>(() => b.Softmax(b.Input("s", DType.F64)));
        Assert.Contains("softmax", e.Message);
        Assert.Contains("f64[]", e.Message);
        Assert.Contains("rank 1 or more", e.Message);
        e = Assert.Throws<GraphBuildException>(() => b.LogSoftmax(b.Input("i", DType.I32, 2, 3)));
        Assert.Contains("log_softmax", e.Message);
        Assert.Contains("i32[2,3]", e.Message);
        Assert.Contains("floating point", e.Message);
    }

    private static double[] Naive(double[] x, int rowLength, SoftmaxFunction fn)
    {
        var y = new double[x.Length];
        for (var start = 0; start < x.Length; start += rowLength)
        {
            var row = x.AsSpan(start, rowLength);
            var max = row.ToArray().Max();
            var lse = max + Math.Log(row.ToArray().Sum(v => Math.Exp(v - max)));
            for (var i = 0; i < rowLength; i++)
                y[start + i] = fn == SoftmaxFunction.Softmax ? Math.Exp(row[i] - lse) : row[i] - lse;
        }
        return y;
    }
}
