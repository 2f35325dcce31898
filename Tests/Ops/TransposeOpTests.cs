using StaticGraph.Conformance;
using StaticGraph.Ops;
using Xunit;

namespace StaticGraph.Tests.Ops;

public class TransposeOpTests
{
    [Fact]
    public void Transposes_a_matrix()
    {
        var b = new GraphBuilder(DType.F64);
        var x = b.Constant([1, 2, 3, 4, 5, 6], DType.F64, 2, 3);
        var y = b.Transpose(x, 1, 0);
        Assert.Equal(new Shape(3, 2), y.Shape);
        Assert.Equal(new double[] { 1, 4, 2, 5, 3, 6 }, Evaluate.Values(y));
    }

    [Theory]
    [InlineData(new[] { 2, 3, 4 }, new[] { 2, 0, 1 })]
    [InlineData(new[] { 2, 3, 4 }, new[] { 1, 0, 2 })]
    [InlineData(new[] { 2, 1, 3, 4 }, new[] { 3, 2, 1, 0 })]
    [InlineData(new[] { 5, 70, 90 }, new[] { 2, 1, 0 })] // tiled, several tasks, ragged tiles
    [InlineData(new[] { 40, 33, 45 }, new[] { 0, 2, 1 })] // tiled under an outer axis
    [InlineData(new[] { 200, 3, 100 }, new[] { 1, 0, 2 })] // whole rows, several tasks
    [InlineData(new[] { 4, 6, 8, 10 }, new[] { 0, 2, 3, 1 })] // NCHW to NHWC
    public void Matches_a_naive_permutation_in_every_dtype(int[] dims, int[] perm)
    {
        foreach (var dtype in new[] { DType.F64, DType.F32, DType.I32 })
        {
            var b = new GraphBuilder();
            var shape = new Shape(dims);
            var x = b.Constant(Evaluate.Iota(shape.ElementCount), dtype, dims);
            var y = b.Transpose(x, perm);
            Assert.Equal(Naive(Evaluate.Iota(shape.ElementCount), shape, perm), Evaluate.Values(y));
        }
    }

    [Fact]
    public void The_identity_permutation_returns_the_input_node()
    {
        var b = new GraphBuilder(DType.F64);
        var x = b.Input("x", DType.F64, 2, 3);
        Assert.Same(x, b.Transpose(x, 0, 1));
    }

    [Fact]
    public void Gradient_matches_central_differences() =>
        GradientChecker.Check("transpose", (b, x) => b.Transpose(x[0], 2, 0, 1), [2, 3, 4]);

    [Theory]
    [InlineData(new[] { 1, 0, 2 }, "permutation of 2 axes")]
    [InlineData(new[] { 0, 0 }, "names axis 0 twice")]
    [InlineData(new[] { 0, 2 }, "out of range")]
    public void A_bad_permutation_fails_when_the_node_is_built(int[] perm, string expected)
    {
        var b = new GraphBuilder(DType.F64);
        var x = b.Input("x", DType.F64, 2, 3);
        var e = Assert.Throws<GraphBuildException>(() => b.Apply(new TransposeOp(perm), x));
        Assert.Contains("transpose", e.Message);
        Assert.Contains("f64[2,3]", e.Message);
        Assert.Contains(expected, e.Message);
    }

    private static double[] Naive(double[] x, Shape shape, int[] perm)
    {
        var outDims = perm.Select(p => shape[p]).ToArray();
        var inStrides = shape.Strides();
        var y = new double[x.Length];
        var index = new int[outDims.Length];
        for (long o = 0; o < y.Length; o++)
        {
            var rest = o;
            for (var d = outDims.Length - 1; d >= 0; d--)
            {
                index[d] = (int)(rest % outDims[d]);
                rest /= outDims[d];
            }
            long src = 0;
            for (var d = 0; d < outDims.Length; d++) src += index[d] * inStrides[perm[d]];
            y[o] = x[src];
        }
        return y;
    }
}
