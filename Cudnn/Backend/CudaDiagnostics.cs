using System.Globalization;
using StaticGraph.Cuda.Native;

namespace StaticGraph.Cuda.Backend;

/// <summary>
/// What the CUDA backend finds on this machine, as report lines: each library (where, which version, why that one, what
/// could not be loaded beside it), the driver and its devices, and what the kernels compile to. Never throws.
/// </summary>
internal static class CudaDiagnostics
{
    public static IReadOnlyList<string> Report()
    {
        var lines = new List<string>();
        var found = new Dictionary<string, bool>();
        foreach (var (name, spec) in NativeLibraryResolver.Known)
        {
            if (NativeLibraryResolver.TryLoad(spec, out var loaded, out var error))
            {
                found[name] = true;
                lines.Add($"{spec.Description,-12} {loaded.SoName} at {loaded.Location}{Version(name)}; chosen: {loaded.Choice}");
                lines.AddRange(loaded.Notes.Select(note => $"{"",-12} note: {note}"));
            }
            else
            {
                found[name] = false;
                lines.Add($"{spec.Description,-12} not found: {error.Message}");
            }
        }

        if (!found[NativeLibraryResolver.Driver])
        {
            lines.Add("cuInit: not attempted (no CUDA driver library)");
            return lines;
        }
        try
        {
            CudaDriver.Init();
            var count = CudaDriver.DeviceCount();
            lines.Add($"cuInit: ok; {count} CUDA device(s)");
            for (var i = 0; i < count; i++)
            {
                var device = CudaDriver.Device(i);
                var (major, minor) = CudaDriver.ComputeCapability(device);
                lines.Add($"  device {i}: {CudaDriver.DeviceName(device)} (sm_{major}{minor})");
            }
            if (count > 0 && found[NativeLibraryResolver.NvrtcName]) lines.Add($"kernels: {KernelTargetLine(CudaDriver.Device(0))}");
        }
        catch (CudaException e)
        {
            lines.Add($"cuInit: no usable GPU: {e.Message}");
        }
        return lines;
    }

    /// <summary>Device 0's name, or why there is none.</summary>
    public static string DeviceName()
    {
        if (CudaBackend.Unavailable() is { } why) return $"no usable GPU ({why})";
        try
        {
            CudaDriver.Init();
            return CudaDriver.DeviceName(CudaDriver.Device(0));
        }
        catch (CudaException e)
        {
            return $"unknown GPU ({e.Message})";
        }
    }

    private static string KernelTargetLine(int device)
    {
        try
        {
            return KernelTarget.Choose(CudaDriver.ComputeCapability(device), Nvrtc.SupportedArchitectures(), Nvrtc.Version(), CudaDriver.DriverVersion()).Reason;
        }
        catch (Exception e) when (e is InvalidOperationException or NvrtcException or CudaException or EntryPointNotFoundException)
        {
            return "cannot be built: " + e.Message;
        }
    }

    private static string Version(string name)
    {
        try
        {
            if (name == NativeLibraryResolver.Driver) return $" (driver supports {DriverCompatibility.Describe(CudaDriver.DriverVersion())})";
            if (name == NativeLibraryResolver.NvrtcName)
            {
                var (major, minor) = Nvrtc.Version();
                return string.Create(CultureInfo.InvariantCulture, $" (NVRTC {major}.{minor})");
            }
            if (name == NativeLibraryResolver.CudnnName)
            {
                var (major, minor, patch) = Cudnn.Version();
                return string.Create(CultureInfo.InvariantCulture, $" (cuDNN {major}.{minor}.{patch}, built for {DriverCompatibility.Describe(Cudnn.CudartVersion())})");
            }
            if (name == NativeLibraryResolver.CublasName)
            {
                var (major, minor, patch) = Cublas.Version();
                return string.Create(CultureInfo.InvariantCulture, $" (cuBLAS {major}.{minor}.{patch})");
            }
            if (name == NativeLibraryResolver.NcclName) return $" (NCCL {Nccl.Version()})";
        }
        catch (Exception e) when (e is CudaException or NvrtcException or CudnnException or CublasException or NcclException or DllNotFoundException or EntryPointNotFoundException)
        {
            return $" (version unavailable: {e.Message})";
        }
        return "";
    }
}
