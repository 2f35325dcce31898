using StaticGraph.Cuda.Lowering;
using StaticGraph.Ops;
using Xunit;

namespace StaticGraph.Tests.Cuda;

/// <summary>
/// Row-major matrix products lowered to one column-major cuBLAS GEMM each (Cᵀ = op(B)ᵀ·op(A)ᵀ). Their results against
/// the CPU (every flag, vectors, a perceptron's step) are the conformance kit's.
/// </summary>
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
    public void Every_transpose_combination_is_one_column_major_gemm(DType dtype, bool transposeA, bool transposeB)
    {
        var (m, k, n) = (3, 5, 4);
        var b = new GraphBuilder(dtype);
        var a = b.Input("a", dtype, transposeA ? [k, m] : [m, k]);
        var bm = b.Input("bm", dtype, transposeB ? [n, k] : [k, n]);
        var c = b.MatMul(a, bm, transposeA, transposeB);
        Assert.Equal(new Shape(m, n), c.Shape);
        var plan = CudaPlanner.Plan(GraphProgram.Inference(c));
        var gemm = Assert.Single(plan.Commands.OfType<GemmCommand>());
        Assert.Equal((n, m, k), (gemm.M, gemm.N, gemm.K));
        Assert.Empty(plan.Commands.OfType<LaunchCommand>());
    }
}
