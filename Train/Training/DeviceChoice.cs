using StaticGraph.Backend;
using StaticGraph.Backend.Cpu;
using StaticGraph.Cuda.Backend;

namespace StaticGraph.Train.Training;

/// <summary>The backend a run asks for: <c>cpu</c>, <c>cuda</c>, or <c>auto</c> (CUDA when a GPU is usable, else the CPU).</summary>
public static class DeviceChoice
{
    /// <summary>The accepted values.</summary>
    public static IReadOnlyList<string> Names { get; } = ["auto", "cpu", "cuda"];

    /// <summary>
    /// The backend for <paramref name="device"/>. With <c>auto</c> and no usable GPU, one line on <paramref name="notes"/>
    /// says why the CPU is used; with <c>cuda</c> and no usable GPU, an error says what is missing.
    /// </summary>
    public static IBackend Resolve(string device, TextWriter? notes = null)
    {
        switch (device)
        {
            case "cpu":
                return CpuBackend.Instance;
            case "cuda":
                return CudaBackend.Unavailable() is { } why
                    ? throw new ArgumentException($"--device cuda: no usable GPU: {why}")
                    : CudaBackend.Default;
            case "auto":
                if (CudaBackend.Unavailable() is not { } reason) return CudaBackend.Default;
                notes?.WriteLine($"device: CPU (no usable GPU: {reason})");
                return CpuBackend.Instance;
            default:
                throw new ArgumentException($"--device must be one of {string.Join(", ", Names)}, got '{device}'");
        }
    }
}
