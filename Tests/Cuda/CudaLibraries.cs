using StaticGraph.Cuda.Native;

namespace StaticGraph.Tests.Cuda;

/// <summary>Which CUDA libraries this machine has, for skipping with a reason.</summary>
internal static class CudaLibraries
{
    public static string? DriverMissing { get; } = Missing(NativeLibraryResolver.Driver);

    public static string? NvrtcMissing { get; } = Missing(NativeLibraryResolver.NvrtcName);

    private static string? Missing(string name)
    {
        try
        {
            NativeLibraryResolver.Load(name);
            return null;
        }
        catch (CudaLibraryNotFoundException e)
        {
            return e.Message;
        }
    }
}
