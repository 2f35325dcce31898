namespace StaticGraph.Cuda.Kernels;

/// <summary>Generated CUDA C: a self-contained translation unit and the <c>extern "C"</c> name of its kernel.</summary>
/// <param name="Name">The kernel's name (also used as the NVRTC program name).</param>
/// <param name="Source">The CUDA C source; it includes no header.</param>
public sealed record CudaKernelSource(string Name, string Source);

/// <summary>The element types the generated kernels come in.</summary>
public enum KernelType
{
    /// <summary>float</summary>
    F32,
    /// <summary>double</summary>
    F64,
}

internal static class KernelTypes
{
    public static string C(this KernelType t) => t == KernelType.F32 ? "float" : "double";

    public static string Suffix(this KernelType t) => t == KernelType.F32 ? "f32" : "f64";

    /// <summary>The common prelude: a device/host qualifier so that helpers also compile as plain C on the host.</summary>
    public const string Prelude = """
        #if defined(__CUDACC__) || defined(__CUDACC_RTC__)
        #define SG_FN __device__ __forceinline__
        #else
        #define SG_FN static inline
        #endif

        """;

    public const string IndexLoop = "for (long long i = (long long)blockIdx.x * blockDim.x + threadIdx.x; i < n; i += (long long)gridDim.x * blockDim.x)";
}
