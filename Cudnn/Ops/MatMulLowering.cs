using StaticGraph.Cuda.Kernels;
using StaticGraph.Cuda.Lowering;
using StaticGraph.Ops;

namespace StaticGraph.Cuda.Ops;

/// <summary>
/// Matrix product: one cuBLAS GEMM. Our matrices are row-major and cuBLAS's column-major, and a row-major [r, c] matrix
/// is its transpose read column-major; so C = op(A)·op(B) is computed as Cᵀ = op(B)ᵀ·op(A)ᵀ: the operands swap, m and n
/// swap, each transpose flag moves with its operand, and each leading dimension is the stored row length.
/// </summary>
[CudaLoweringFor(typeof(MatMulOp))]
internal sealed class MatMulLowering : ICudaLowering
{
    public void Lower(LoweringContext ctx)
    {
        var op = (MatMulOp)ctx.Node.Op;
        var (a, b, c) = (ctx.Node.Inputs[0], ctx.Node.Inputs[1], ctx.Node);
        var (m, n) = (c.Shape[0], c.Shape[1]);
        var k = op.TransposeA ? a.Shape[0] : a.Shape[1];
        ctx.Emit(new GemmCommand(c, c.DType, TransA: op.TransposeB, TransB: op.TransposeA, M: n, N: m, K: k,
            A: ctx.Input(1), Lda: b.Shape[1], B: ctx.Input(0), Ldb: a.Shape[1], C: ctx.Output, Ldc: n, Alpha: 1, Beta: 0));
    }
}
