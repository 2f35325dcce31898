using System.CommandLine;
using StaticGraph.Cuda.Native;

namespace StaticGraph.Train.Commands;

/// <summary>
/// `device-check`: reports the NVIDIA libraries found (where, and the version where the library tells it), then initialises
/// the driver and counts devices. The CUDA backend's ops are not implemented yet, and the command says so. Exits 0 on a
/// machine without a GPU: that is a plain report, not a failure.
/// </summary>
public static class DeviceCheckCommand
{
    /// <summary>The command.</summary>
    public static Command Create()
    {
        var command = new Command("device-check", "Report the CUDA libraries and devices found (the CUDA backend's ops are not implemented yet)");
        command.SetAction(_ => Run(Console.Out));
        return command;
    }

    /// <summary>Writes the report to <paramref name="output"/>; returns the exit code (0 unless something unexpected broke).</summary>
    public static int Run(TextWriter output)
    {
        var found = new Dictionary<string, bool>();
        foreach (var (name, spec) in NativeLibraryResolver.Known)
        {
            if (NativeLibraryResolver.TryLoad(spec, out var loaded, out var error))
            {
                found[name] = true;
                output.WriteLine($"{spec.Description,-12} {loaded.SoName} at {loaded.Location}{Version(name)}");
            }
            else
            {
                found[name] = false;
                output.WriteLine($"{spec.Description,-12} not found: {error.Message}");
            }
        }

        if (found[NativeLibraryResolver.Driver])
        {
            try
            {
                CudaDriver.Init();
                var count = CudaDriver.DeviceCount();
                output.WriteLine($"cuInit: ok; {count} CUDA device(s)");
                for (var i = 0; i < count; i++) output.WriteLine($"  device {i}: {CudaDriver.DeviceName(CudaDriver.Device(i))}");
            }
            catch (CudaException e)
            {
                output.WriteLine($"cuInit: no usable GPU: {e.Message}");
            }
        }
        else
        {
            output.WriteLine("cuInit: not attempted (no CUDA driver library)");
        }
        output.WriteLine("cuda backend: ops not implemented yet (bindings and kernel sources only); training runs on the CPU backend");
        return 0;
    }

    private static string Version(string name)
    {
        try
        {
            if (name == NativeLibraryResolver.Driver)
            {
                var v = CudaDriver.DriverVersion();
                return $" (driver supports CUDA {v / 1000}.{v % 1000 / 10})";
            }
            if (name == NativeLibraryResolver.NvrtcName)
            {
                var (major, minor) = Nvrtc.Version();
                return $" (NVRTC {major}.{minor})";
            }
        }
        catch (Exception e) when (e is CudaException or NvrtcException or DllNotFoundException or EntryPointNotFoundException)
        {
            return $" (version unavailable: {e.Message})";
        }
        return "";
    }
}
