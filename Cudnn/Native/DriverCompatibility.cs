namespace StaticGraph.Cuda.Native;

/// <summary>
/// Which CUDA libraries a driver can serve (pure logic, no library). A library built for CUDA major version M needs a
/// driver that supports CUDA M.x: cuBLAS 13 and NVRTC 13 fail on a CUDA 12 driver (cuBLAS at its first call, NVRTC's code
/// in <c>cuModuleLoadData</c> with CUDA_ERROR_UNSUPPORTED_PTX_VERSION). Within one major version, machine code (CUBIN) runs
/// on any driver of that major version, but PTX needs a driver at least as new as the compiler that wrote it, because the
/// driver compiles it and must know its ISA version.
/// </summary>
internal static class DriverCompatibility
{
    /// <summary>The major CUDA version of a driver version as <c>cuDriverGetVersion</c> reports it (12020 → 12).</summary>
    public static int Major(int driverVersion) => driverVersion / 1000;

    /// <summary>A driver version as text, e.g. <c>CUDA 12.2</c>.</summary>
    public static string Describe(int driverVersion) => $"CUDA {driverVersion / 1000}.{driverVersion % 1000 / 10}";

    /// <summary>
    /// Why a library built for CUDA <paramref name="libraryMajor"/> cannot be used with a driver of version
    /// <paramref name="driverVersion"/>, or null when it can (or when either is unknown).
    /// </summary>
    public static string? Rejection(int? libraryMajor, int? driverVersion)
    {
        if (libraryMajor is not { } lib || driverVersion is not { } driver) return null;
        return lib > Major(driver) ? $"built for CUDA {lib}, but the driver supports {Describe(driver)}" : null;
    }

    /// <summary>
    /// Whether PTX written by NVRTC <paramref name="nvrtc"/> can be loaded by a driver of version
    /// <paramref name="driverVersion"/>: the driver must be at least as new as the compiler.
    /// </summary>
    public static bool DriverAcceptsPtxOf((int Major, int Minor) nvrtc, int driverVersion) =>
        nvrtc.Major * 1000 + nvrtc.Minor * 10 <= driverVersion;
}
