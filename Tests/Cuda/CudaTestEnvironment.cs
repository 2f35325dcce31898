using System.Reflection;
using System.Runtime.InteropServices;
using StaticGraph.Cuda.Native;

namespace StaticGraph.Tests.Cuda;

/// <summary>What this machine has for the native-binding tests (driver, device, cuDNN, cuBLAS), for skipping with a reason.</summary>
internal static class CudaTestEnvironment
{
    public static string? CudnnMissing { get; } = Missing(NativeLibraryResolver.CudnnName);

    public static string? CublasMissing { get; } = Missing(NativeLibraryResolver.CublasName);

    /// <summary>Null when a device can be used, else why not.</summary>
    public static string? NoDevice()
    {
        if (CudaLibraries.DriverMissing is { } why) return "no CUDA driver: " + why;
        try
        {
            CudaDriver.Init();
            return CudaDriver.DeviceCount() > 0 ? null : "no CUDA device: cuDeviceGetCount gives 0";
        }
        catch (CudaException e)
        {
            return "no CUDA device: " + e.Message;
        }
    }

    /// <summary>Every symbol a raw binding class imports (its <see cref="LibraryImportAttribute.EntryPoint"/>, else the method name).</summary>
    public static IReadOnlyList<string> EntryPoints(string typeName)
    {
        var type = typeof(CudaDriver).Assembly.GetType("StaticGraph.Cuda.Native." + typeName, throwOnError: true)!;
        return [.. type.GetMethods(BindingFlags.Static | BindingFlags.NonPublic | BindingFlags.Public | BindingFlags.DeclaredOnly)
            .Select(m => (Method: m, Import: m.GetCustomAttribute<LibraryImportAttribute>()))
            .Where(p => p.Import is not null)
            .Select(p => p.Import!.EntryPoint ?? p.Method.Name)
            .Order(StringComparer.Ordinal)];
    }

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
