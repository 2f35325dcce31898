using StaticGraph.Cuda.Lowering;
using StaticGraph.Cuda.Native;

namespace StaticGraph.Cuda.Backend;

/// <summary>
/// A cuBLAS GEMM with its pointers resolved. The math mode is set on every issue because the handle is shared: FP32 is
/// pedantic (no TF32, no reduced-precision reductions) unless TF32 is allowed. 16-bit operands (mixed precision) go
/// through <c>cublasGemmEx</c> with an f32 result and f32 compute.
/// </summary>
internal sealed class GemmRunner(GemmCommand g, CudaRuntime runtime, CudaOptions options, Func<DeviceAddress, ulong> resolve) : ICommandRunner
{
    private readonly ulong _a = resolve(g.A);
    private readonly ulong _b = resolve(g.B);
    private readonly ulong _c = resolve(g.C);

    public CudaCommand Command => g;

    public void Issue(CudaStream stream)
    {
        var handle = runtime.Cublas;
        var (ta, tb) = (g.TransA ? CublasOperation.Transpose : CublasOperation.None, g.TransB ? CublasOperation.Transpose : CublasOperation.None);
        if (g.OperandDType is DType.BF16 or DType.F16)
        {
            // Mixed precision: 16-bit A and B, f32 C, f32 accumulation (alpha and beta are floats), on tensor cores,
            // which the default math mode allows for 16-bit inputs.
            var input = g.OperandDType == DType.BF16 ? CudaDataType.R16BF : CudaDataType.R16F;
            handle.SetMathMode(CublasMath.Default);
            handle.GemmEx(ta, tb, g.M, g.N, g.K, g.Alpha, _a, input, g.Lda, _b, input, g.Ldb, g.Beta, _c, CudaDataType.R32F, g.Ldc, CublasComputeType.Compute32F);
        }
        else if (g.DType == DType.F32)
        {
            handle.SetMathMode(options.AllowTf32 ? CublasMath.Tf32TensorOp : CublasMath.Pedantic);
            handle.Sgemm(ta, tb, g.M, g.N, g.K, (float)g.Alpha, _a, g.Lda, _b, g.Ldb, (float)g.Beta, _c, g.Ldc);
        }
        else
        {
            handle.SetMathMode(CublasMath.Default);
            handle.Dgemm(ta, tb, g.M, g.N, g.K, g.Alpha, _a, g.Lda, _b, g.Ldb, g.Beta, _c, g.Ldc);
        }
    }
}
