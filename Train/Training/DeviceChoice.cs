using StaticGraph.Backend;
using StaticGraph.Backend.Cpu;
using StaticGraph.Cuda.Backend;
using StaticGraph.Cuda.Lowering;

namespace StaticGraph.Train.Training;

/// <summary>The backend a run asks for: <c>cpu</c>, <c>cuda</c>, or <c>auto</c> (CUDA when a GPU is usable, else the CPU).</summary>
public static class DeviceChoice
{
    /// <summary>The accepted devices.</summary>
    public static IReadOnlyList<string> Names { get; } = ["auto", "cpu", "cuda"];

    /// <summary>The accepted precisions: f32 everywhere, or the GPU's TF32, BF16 or FP16 for convolutions and matrix products.</summary>
    public static IReadOnlyList<string> Precisions { get; } = ["f32", "tf32", "bf16", "fp16"];

    /// <summary>
    /// The backend for <paramref name="device"/> computing in <paramref name="precision"/>. With <c>auto</c> and no usable
    /// GPU, one line on <paramref name="notes"/> says why the CPU is used; with <c>cuda</c> and no usable GPU, an error says
    /// what is missing. A precision other than f32 needs the GPU.
    /// </summary>
    public static IBackend Resolve(string device, TextWriter? notes = null, string precision = "f32")
    {
        if (!Precisions.Contains(precision))
            throw new ArgumentException($"--precision must be one of {string.Join(", ", Precisions)}, got '{precision}'");
        var options = CudaOptions.Default with
        {
            AllowTf32 = precision == "tf32",
            Precision = precision switch { "bf16" => ComputePrecision.BF16, "fp16" => ComputePrecision.F16, _ => ComputePrecision.F32 },
        };
        IBackend Cpu() => precision == "f32" ? CpuBackend.Instance
            : throw new ArgumentException($"--precision {precision} needs the CUDA backend; the CPU computes in f32 (use --precision f32)");
        switch (device)
        {
            case "cpu":
                return Cpu();
            case "cuda":
                return CudaBackend.Unavailable() is { } why
                    ? throw new ArgumentException($"--device cuda: no usable GPU: {why}")
                    : new CudaBackend(options);
            case "auto":
                if (CudaBackend.Unavailable() is not { } reason) return new CudaBackend(options);
                notes?.WriteLine($"device: CPU (no usable GPU: {reason})");
                return Cpu();
            default:
                throw new ArgumentException($"--device must be one of {string.Join(", ", Names)}, got '{device}'");
        }
    }
}
