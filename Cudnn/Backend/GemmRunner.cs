using StaticGraph.Cuda.Lowering;
using StaticGraph.Cuda.Native;

namespace StaticGraph.Cuda.Backend;

/// <summary>
/// A cuBLAS GEMM with its pointers resolved. The math mode is set on every issue because the handle is shared: FP32 is
/// pedantic (no TF32, no reduced-precision reductions) unless TF32 is allowed.
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
        if (g.DType == DType.F32)
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
