using System.Runtime.InteropServices;

namespace StaticGraph.Cuda.Native;

/// <summary>
/// A cuBLAS handle (<c>cublasHandle_t</c>), bound to the context current at creation; released with <c>cublasDestroy_v2</c>.
/// cuBLAS is COLUMN-MAJOR: a row-major C = A·B (A m×k, B k×n) is computed as the column-major Cᵀ = Bᵀ·Aᵀ, i.e. call
/// <see cref="Sgemm"/> with (m, n) swapped and B before A: <c>Sgemm(N, N, n, m, k, 1, B, n, A, k, 0, C, n)</c>.
/// For reproducible results give each stream's handle its own workspace (<see cref="SetWorkspace"/>) and set the math mode explicitly.
/// </summary>
internal sealed unsafe class CublasHandle : SafeHandle
{
    private CublasHandle() : base(0, true) { }

    /// <inheritdoc/>
    public override bool IsInvalid => handle == 0;

    /// <summary>Creates a handle in the current context (<c>cublasCreate_v2</c>). Not to be called during graph capture.</summary>
    public static CublasHandle Create()
    {
        Cublas.Check(CublasNative.cublasCreate(out var raw), "cublasCreate_v2");
        var created = new CublasHandle();
        created.SetHandle(raw);
        return created;
    }

    /// <summary>The cuBLAS version, e.g. 120604 for 12.6.4 (<c>cublasGetVersion_v2</c>).</summary>
    public int Version()
    {
        Cublas.Check(CublasNative.cublasGetVersion(DangerousGetHandle(), out var version), "cublasGetVersion_v2");
        return version;
    }

    /// <summary>Makes the handle queue its work on <paramref name="stream"/> (<c>cublasSetStream_v2</c>).</summary>
    public void SetStream(CudaStream stream) => Cublas.Check(CublasNative.cublasSetStream(DangerousGetHandle(), stream.DangerousGetHandle()), "cublasSetStream_v2");

    /// <summary>Sets the math mode (<c>cublasSetMathMode</c>), e.g. <see cref="CublasMath.Pedantic"/> to keep FP32 off TF32.</summary>
    public void SetMathMode(CublasMath mode) => Cublas.Check(CublasNative.cublasSetMathMode(DangerousGetHandle(), mode), "cublasSetMathMode");

    /// <summary>Gives the handle a device workspace of its own (<c>cublasSetWorkspace_v2</c>); it must outlive the handle's use of it.</summary>
    public void SetWorkspace(ulong workspace, long bytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(bytes);
        Cublas.Check(CublasNative.cublasSetWorkspace(DangerousGetHandle(), workspace, (nuint)bytes), "cublasSetWorkspace_v2");
    }

    /// <summary>
    /// Column-major C = alpha·op(A)·op(B) + beta·C in FP32 (<c>cublasSgemm_v2</c>): op(A) is m×k, op(B) k×n, C m×n; lda, ldb
    /// and ldc are the column strides (rows of the stored matrices).
    /// </summary>
    public void Sgemm(CublasOperation transa, CublasOperation transb, int m, int n, int k, float alpha, ulong a, int lda, ulong b, int ldb, float beta,
        ulong c, int ldc) =>
        Cublas.Check(CublasNative.cublasSgemm(DangerousGetHandle(), transa, transb, m, n, k, &alpha, a, lda, b, ldb, &beta, c, ldc), "cublasSgemm_v2");

    /// <summary>Column-major C = alpha·op(A)·op(B) + beta·C in FP64 (<c>cublasDgemm_v2</c>); see <see cref="Sgemm"/>.</summary>
    public void Dgemm(CublasOperation transa, CublasOperation transb, int m, int n, int k, double alpha, ulong a, int lda, ulong b, int ldb, double beta,
        ulong c, int ldc) =>
        Cublas.Check(CublasNative.cublasDgemm(DangerousGetHandle(), transa, transb, m, n, k, &alpha, a, lda, b, ldb, &beta, c, ldc), "cublasDgemm_v2");

    /// <summary>
    /// Column-major mixed-type GEMM (<c>cublasGemmEx</c>): data types per matrix and a separate accumulation type. alpha and
    /// beta are passed as double for <see cref="CublasComputeType.Compute64F"/> (and its pedantic form), as float for the
    /// 32F compute types; 16F and 32I compute types (which need half or int scalars) are rejected.
    /// </summary>
    public void GemmEx(CublasOperation transa, CublasOperation transb, int m, int n, int k, double alpha, ulong a, CudaDataType aType, int lda, ulong b,
        CudaDataType bType, int ldb, double beta, ulong c, CudaDataType cType, int ldc, CublasComputeType computeType, CublasGemmAlgo algo = CublasGemmAlgo.Default)
    {
        var doubleScalars = computeType is CublasComputeType.Compute64F or CublasComputeType.Compute64FPedantic;
        if (!doubleScalars && computeType is CublasComputeType.Compute16F or CublasComputeType.Compute16FPedantic or CublasComputeType.Compute32I
                or CublasComputeType.Compute32IPedantic)
            throw new NotSupportedException($"GemmEx with {computeType} needs half or int scaling factors; use a 32F or 64F compute type");
        float af = (float)alpha, bf = (float)beta;
        void* pa = doubleScalars ? &alpha : &af;
        void* pb = doubleScalars ? &beta : &bf;
        Cublas.Check(CublasNative.cublasGemmEx(DangerousGetHandle(), transa, transb, m, n, k, pa, a, aType, lda, b, bType, ldb, pb, c, cType, ldc, computeType,
            algo), "cublasGemmEx");
    }

    /// <inheritdoc/>
    protected override bool ReleaseHandle() => CublasNative.cublasDestroy(handle) == 0;
}
