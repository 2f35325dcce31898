using StaticGraph.Cuda.Kernels;
using StaticGraph.Cuda.Lowering;
using StaticGraph.Ops;

namespace StaticGraph.Cuda.Ops;

/// <summary>
/// Matrix product: one cuBLAS GEMM. Our matrices are row-major and cuBLAS's column-major, and a row-major [r, c] matrix
/// is its transpose read column-major; so C = op(A)·op(B) is computed as Cᵀ = op(B)ᵀ·op(A)ᵀ: the operands swap, m and n
/// swap, each transpose flag moves with its operand, and each leading dimension is the stored row length. In mixed
/// precision A and B are converted to 16 bits in scratch and the GEMM writes f32 directly (<c>cublasGemmEx</c>); in FP16
/// a gradient operand is multiplied by the loss scale on conversion and the f32 product divided by it in place.
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
        var (aAt, bAt, inputType) = (ctx.Input(0), ctx.Input(1), (DType?)null);
        var scaled = false;
        if (ctx.Precision != ComputePrecision.F32)
        {
            // One operand at most is scaled (the product is divided by S once); in a gradient's product it is dC.
            var scaleA = ctx.Precision == ComputePrecision.F16 && MixedPrecision.IsGradient(ctx, a);
            var scaleB = ctx.Precision == ComputePrecision.F16 && !scaleA && MixedPrecision.IsGradient(ctx, b);
            aAt = MixedPrecision.ToHalf(ctx, aAt, a.Shape.ElementCount, scaleA);
            bAt = MixedPrecision.ToHalf(ctx, bAt, b.Shape.ElementCount, scaleB);
            inputType = MixedPrecision.StorageType(ctx.Precision);
            scaled = scaleA || scaleB;
        }
        ctx.Emit(new GemmCommand(c, c.DType, TransA: op.TransposeB, TransB: op.TransposeA, M: n, N: m, K: k,
            A: bAt, Lda: b.Shape[1], B: aAt, Ldb: a.Shape[1], C: ctx.Output, Ldc: n, Alpha: 1, Beta: 0, InputDType: inputType));
        if (scaled) MixedPrecision.Unscale(ctx, ctx.Output, c.Shape.ElementCount);
    }
}
