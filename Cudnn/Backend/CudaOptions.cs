using StaticGraph.Cuda.Lowering;

namespace StaticGraph.Cuda.Backend;

/// <summary>Choices of the CUDA backend beyond <see cref="StaticGraph.Backend.CompileOptions"/>.</summary>
/// <param name="Deterministic">Only deterministic cuDNN algorithms (and no atomics anywhere): bitwise-equal replays.</param>
/// <param name="AllowTf32">Let FP32 convolutions and GEMMs use TF32 tensor cores (faster, ~1e-3 relative); off by default.</param>
/// <param name="CaptureGraph">Capture the step into a CUDA graph after one eager run and replay it.</param>
/// <param name="Device">The device ordinal.</param>
/// <param name="Precision">
/// The compute precision of an f32 program's convolutions and GEMMs: f32 (default), or BF16/F16 inputs on tensor cores
/// with f32 accumulation and f32 storage everywhere else; F16 adds dynamic loss scaling. f64 programs ignore it.
/// </param>
public sealed record CudaOptions(bool Deterministic = true, bool AllowTf32 = false, bool CaptureGraph = true, int Device = 0,
    ComputePrecision Precision = ComputePrecision.F32)
{
    /// <summary>Deterministic, TF32 off, graphs on, device 0, f32 compute.</summary>
    public static CudaOptions Default { get; } = new();
}
