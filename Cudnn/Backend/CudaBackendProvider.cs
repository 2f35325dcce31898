using StaticGraph.Backend;
using StaticGraph.Cuda.Lowering;
using StaticGraph.Cuda.Native;

[assembly: BackendProvider(typeof(StaticGraph.Cuda.Backend.CudaBackendProvider))]

namespace StaticGraph.Cuda.Backend;

/// <summary>
/// The CUDA backend as <see cref="Backends"/> offers it: usable where a GPU, the driver, NVRTC, cuDNN and cuBLAS are
/// (<see cref="CudaBackend.Unavailable"/>), preferred to the CPU, and computing in f32 (TF32 off), TF32, BF16 or FP16.
/// </summary>
public sealed class CudaBackendProvider : IBackendProvider
{
    /// <inheritdoc/>
    public string Name => "cuda";

    /// <inheritdoc/>
    public int Preference => 10;

    /// <inheritdoc/>
    public string? Unavailable() => CudaBackend.Unavailable();

    /// <inheritdoc/>
    public string DeviceName => CudaDiagnostics.DeviceName();

    /// <inheritdoc/>
    public IReadOnlyList<string> Report() => CudaDiagnostics.Report();

    /// <inheritdoc/>
    public IBackend Create(BackendSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (settings.Device > 0 && CudaDriver.DeviceCount() is var count && settings.Device >= count)
            throw new ArgumentException(
                $"GPU {settings.Device} was asked for (a rank takes the GPU of its local rank), but this machine has {count}: start at most {count} rank(s) per machine, or use --device cpu");
        return new CudaBackend(CudaOptions.Default with
        {
            Device = settings.Device,
            Deterministic = settings.Deterministic,
            CaptureGraph = settings.GraphReplay,
            AllowTf32 = settings.Precision == "tf32",
            Precision = settings.Precision switch
            {
                "f32" or "tf32" => ComputePrecision.F32,
                "bf16" => ComputePrecision.BF16,
                "fp16" => ComputePrecision.F16,
                _ => throw new ArgumentException($"the cuda backend computes in f32, tf32, bf16 or fp16, not '{settings.Precision}'"),
            },
        });
    }
}
