using StaticGraph.Conformance;
using StaticGraph.Ops;
using Xunit;

namespace StaticGraph.Tests.Ops;

public class MatMulOpTests
{
    [Fact]
    public void Multiplies_small_matrices()
    {
        var b = new GraphBuilder(DType.F64);
        var a = b.Constant([1, 2, 3, 4, 5, 6], DType.F64, 2, 3);
        var c = b.Constant([7, 8, 9, 10, 11, 12], DType.F64, 3, 2);
        var y = b.MatMul(a, c);
        Assert.Equal(new Shape(2, 2), y.Shape);
        Assert.Equal(new double[] { 58, 64, 139, 154 }, Evaluate.Values(y));
    }

    [Theory]
    [InlineData(false, false)]
    [InlineData(true, false)]
    [InlineData(false, true)]
    [InlineData(true, true)]
    public void Matches_a_naive_product_for_every_transposition(bool transposeA, bool transposeB)
    {
        // Sizes give several row blocks and ragged edges.
        const int m = 150, k = 70, n = 90;
        var aValues = Values.Normal(m * k, 3);
        var bValues = Values.Normal(k * n, 30);
        var expected = Naive(aValues, bValues, m, k, n, transposeA, transposeB);
        foreach (var (dtype, tolerance) in new[] { (DType.F64, 1e-12), (DType.F32, 1e-4) })
        {
            var g = new GraphBuilder(dtype);
            var a = g.Constant(aValues, dtype, transposeA ? [k, m] : [m, k]);
            var bb = g.Constant(bValues, dtype, transposeB ? [n, k] : [k, n]);
            var y = g.MatMul(a, bb, transposeA, transposeB);
            Assert.Equal(new Shape(m, n), y.Shape);
            Evaluate.AssertClose(expected, Evaluate.Values(y), tolerance);
        }
    }

    [Fact]
    public void Gives_the_same_bits_for_any_thread_count()
    {
        const int m = 300, k = 200, n = 100;
        var g = new GraphBuilder(DType.F32);
        var y = g.MatMul(g.Constant(Values.Normal(m * k, 4), DType.F32, m, k), g.Constant(Values.Normal(k * n, 40), DType.F32, k, n));
        Assert.Equal(Evaluate.Values(y, threads: 1), Evaluate.Values(y, threads: 2));
    }

    [Theory]
    [InlineData(false, false)]
    [InlineData(true, false)]
    [InlineData(false, true)]
    [InlineData(true, true)]
    public void Gradient_matches_central_differences(bool transposeA, bool transposeB) =>
        GradientChecker.Check("matmul", (b, x) => b.MatMul(x[0], x[1], transposeA, transposeB), transposeA ? [4, 3] : [3, 4], transposeB ? [2, 4] : [4, 2]);

    [Fact]
    public void Mismatched_inner_dimensions_fail_when_the_node_is_built()
    {
        var b = new GraphBuilder(DType.F64);
        var e = Assert.Throws<GraphBuildException>(() => b.MatMul(b.Input("a", DType.F64, 2, 3), b.Input("b", DType.F64, 4, 5)));
        Assert.Contains("matmul", e.Message);
        Assert.Contains("f64[2,3]", e.Message);
        Assert.Contains("f64[4,5]", e.Message);
        Assert.Contains("inner dimensions differ", e.Message);
    }

    [Fact]
    public void Transpose_flags_are_named_when_dimensions_mismatch()
    {
        var b = new GraphBuilder(DType.F64);
        var e = Assert.Throws<GraphBuildException>(() => b.MatMul(b.Input("a", DType.F64, 2, 3), b.Input("b", DType.F64, 2, 5), transposeB: true));
        Assert.Contains("matmul", e.Message);
        Assert.Contains("transpose_b", e.Message);
        Assert.Contains("op(B) is [5,2]", e.Message);
    }

    [Fact]
    public void Operands_must_be_float_matrices_of_one_dtype()
    {
        var b = new GraphBuilder(DType.F64);
        var a = b.Input("a", DType.F64, 2, 3);
        Assert.Contains("rank 2", Assert.Throws<GraphBuildException>(() => b.MatMul(a, b.Input("v", DType.F64, 3))).Message);
        Assert.Contains("same dtype", Assert.Throws<GraphBuildException>(() => b.MatMul(a, b.Input("f", DType.F32, 3, 2))).Message);
        var e = Assert.Throws<GraphBuildException>(() => b.MatMul(b.Input("i", DType.I32, 2, 3), b.Input("j", DType.I32, 3, 2)));
        Assert.Contains("i32[2,3]", e.Message);
        Assert.Contains("floating point", e.Message);
    }

    private static double[] Naive(double[] a, double[] b, int m, int k, int n, bool transposeA, bool transposeB)
    {
        var c = new double[m * n];
        for (var i = 0; i < m; i++)
        {
            for (var j = 0; j < n; j++)
            {
                double sum = 0;
                for (var p = 0; p < k; p++)
                    sum += (transposeA ? a[p * m + i] : a[i * k + p]) * (transposeB ? b[j * k + p] : b[p * n + j]);
                c[i * n + j] = sum;
            }
        }
        return c;
    }
}
