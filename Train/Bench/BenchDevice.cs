using StaticGraph.Cuda.Native;

namespace StaticGraph.Train.Bench;

/// <summary>The name of the hardware a bench ran on, for its header line: figures mean little without it.</summary>
public static class BenchDevice
{
    /// <summary>
    /// The CPU's model name from /proc/cpuinfo (its "model name" line), or on CUDA the GPU's name as the driver reports
    /// it (the name <see cref="StaticGraph.Cuda.Backend.CudaExecutable.DeviceName"/> gives, device 0).
    /// </summary>
    public static string Name(string device)
    {
        if (device == "cuda")
        {
            if (StaticGraph.Cuda.Backend.CudaBackend.Unavailable() is { } why) return $"no usable GPU ({why})";
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
        const string cpuinfo = "/proc/cpuinfo";
        var model = File.Exists(cpuinfo)
            ? File.ReadLines(cpuinfo).FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2).ElementAtOrDefault(1)?.Trim()
            : null;
        return $"{model ?? System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture.ToString()} ({Environment.ProcessorCount} cores)";
    }
}
