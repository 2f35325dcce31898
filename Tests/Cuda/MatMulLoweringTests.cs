using StaticGraph.Cuda.Lowering;
using StaticGraph.Ops;
using StaticGraph.Tests.Cuda.Emulation;
using Xunit;

namespace StaticGraph.Tests.Cuda;

/// <summary>Row-major matrix products lowered to one column-major cuBLAS GEMM each.</summary>
public class MatMulLoweringTests
{
    public static TheoryData<DType, bool, bool> Flags()
    {
        var data = new TheoryData<DType, bool, bool>();
        foreach (var t in new[] { DType.F32, DType.F64 })
            foreach (var ta in new[] { false, true })
                foreach (var tb in new[] { false, true }) data.Add(t, ta, tb);
        return data;
    }

    [Theory]
    [MemberData(nameof(Flags))]
    public void Every_transpose_combination_matches_the_cpu_with_one_gemm(DType dtype, bool transposeA, bool transposeB)
    {
        var (m, k, n) = (3, 5, 4);
        var b = new GraphBuilder(dtype);
        var a = b.Input("a", dtype, transposeA ? [k, m] : [m, k]);
        var bm = b.Input("bm", dtype, transposeB ? [n, k] : [k, n]);
        var c = b.MatMul(a, bm, transposeA, transposeB);
        Assert.Equal(new Shape(m, n), c.Shape);
        var plan = EmulatorParity.AssertMatchesCpu(GraphProgram.Inference(c), ElementwiseLoweringTests.Feeds(dtype, ("a", m * k), ("bm", k * n)));
        var gemm = Assert.Single(plan.Commands.OfType<GemmCommand>());
        Assert.Equal((n, m, k), (gemm.M, gemm.N, gemm.K));
        Assert.Empty(plan.Commands.OfType<LaunchCommand>());
    }

    [Theory]
    [InlineData(DType.F32)]
    [InlineData(DType.F64)]
    public void Vectors_and_single_rows_are_matrices_too(DType dtype)
    {
        var b = new GraphBuilder(dtype);
        var row = b.Input("row", dtype, 1, 7);
        var col = b.Input("col", dtype, 7, 1);
        var outer = b.MatMul(col, row);
        var inner = b.MatMul(row, col);
        var gram = b.MatMul(row, row, transposeA: true);
        EmulatorParity.AssertMatchesCpu(GraphProgram.Inference(outer, inner, gram), ElementwiseLoweringTests.Feeds(dtype, ("row", 7), ("col", 7)));
    }

    [Theory]
    [InlineData(DType.F32)]
    [InlineData(DType.F64)]
    public void A_two_layer_perceptron_trains_two_steps_like_the_cpu(DType dtype)
    {
        var b = new GraphBuilder(dtype);
        var x = b.Input("x", dtype, 5, 6);
        var target = b.Input("target", dtype, 5, 2);
        var h = b.Relu(b.Linear(x, 8, name: "l1"));
        var w2 = b.Parameter("w2", Initializer.Uniform(0.5), [8, 2], dtype: dtype);
        var y = b.MatMul(b.MatMul(h, w2), b.MatMul(w2, w2, transposeA: true), transposeB: true);
        var loss = b.MeanAll(b.Square(b.Sub(y, target)));
        var program = Autodiff.Train(loss, new Sgd(Momentum: 0.5, WeightDecay: 0, Nesterov: true), Schedule.Constant(0.05));
        EmulatorParity.AssertMatchesCpu(program, ElementwiseLoweringTests.Feeds(dtype, ("x", 30), ("target", 10)), runs: 2);
    }
}
