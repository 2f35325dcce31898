using System.Runtime.InteropServices;

namespace StaticGraph.Cuda.Native;

/// <summary>
/// Raw cuBLAS entry points (prototypes from <c>cublas_api.h</c> of CUDA 12.6; the <c>_v2</c> symbols are what
/// <c>cublas_v2.h</c> maps the plain names to). Every call but the status strings returns a <c>cublasStatus_t</c>. Device
/// matrices are passed as <c>ulong</c> CUdeviceptrs; alpha and beta are host pointers (the default pointer mode).
/// </summary>
internal static unsafe partial class CublasNative
{
    private const string Lib = NativeLibraryResolver.CublasName;

    static CublasNative() => NativeLibraryResolver.EnsureRegistered();

    [LibraryImport(Lib, EntryPoint = "cublasCreate_v2")] internal static partial int cublasCreate(out nint handle);
    [LibraryImport(Lib, EntryPoint = "cublasDestroy_v2")] internal static partial int cublasDestroy(nint handle);
    [LibraryImport(Lib, EntryPoint = "cublasGetVersion_v2")] internal static partial int cublasGetVersion(nint handle, out int version);
    [LibraryImport(Lib, EntryPoint = "cublasGetProperty")] internal static partial int cublasGetProperty(int type, out int value);
    [LibraryImport(Lib, EntryPoint = "cublasSetStream_v2")] internal static partial int cublasSetStream(nint handle, nint stream);
    [LibraryImport(Lib, EntryPoint = "cublasSetMathMode")] internal static partial int cublasSetMathMode(nint handle, CublasMath mode);
    [LibraryImport(Lib, EntryPoint = "cublasSetWorkspace_v2")] internal static partial int cublasSetWorkspace(nint handle, ulong workspace, nuint bytes);
    [LibraryImport(Lib, EntryPoint = "cublasGetStatusName")] internal static partial nint cublasGetStatusName(int status);
    [LibraryImport(Lib, EntryPoint = "cublasGetStatusString")] internal static partial nint cublasGetStatusString(int status);

    [LibraryImport(Lib, EntryPoint = "cublasSgemm_v2")]
    internal static partial int cublasSgemm(nint handle, CublasOperation transa, CublasOperation transb, int m, int n, int k, float* alpha, ulong a, int lda,
        ulong b, int ldb, float* beta, ulong c, int ldc);

    [LibraryImport(Lib, EntryPoint = "cublasDgemm_v2")]
    internal static partial int cublasDgemm(nint handle, CublasOperation transa, CublasOperation transb, int m, int n, int k, double* alpha, ulong a, int lda,
        ulong b, int ldb, double* beta, ulong c, int ldc);

    [LibraryImport(Lib, EntryPoint = "cublasGemmEx")]
    internal static partial int cublasGemmEx(nint handle, CublasOperation transa, CublasOperation transb, int m, int n, int k, void* alpha, ulong a,
        CudaDataType aType, int lda, ulong b, CudaDataType bType, int ldb, void* beta, ulong c, CudaDataType cType, int ldc, CublasComputeType computeType,
        CublasGemmAlgo algo);
}
