using StaticGraph.Conformance;
using StaticGraph.Cuda.Backend;

namespace StaticGraph.Tests.Conformance;

/// <summary>
/// The CUDA backend on a real GPU, found by name as users choose it, with its graph-replay-off twin for the replay cases.
/// Every case reports skipped, naming what is missing, where no GPU is usable.
/// </summary>
internal static class GpuTargets
{
    /// <summary>The CUDA backend computing <paramref name="dtype"/> programs (f32 with TF32 off).</summary>
    public static ConformanceTarget Create(DType dtype) =>
        ConformanceTarget.FromBackend("cuda", dtype, eager: () => new CudaBackend(CudaOptions.Default with { CaptureGraph = false }));
}

/// <summary>CUDA on the GPU in f32, TF32 off.</summary>
public sealed class GpuF32ConformanceTests : StepConformanceTests
{
    protected override ConformanceTarget Target { get; } = GpuTargets.Create(DType.F32);
}

/// <summary>CUDA on the GPU in f64.</summary>
public sealed class GpuF64ConformanceTests : StepConformanceTests
{
    protected override ConformanceTarget Target { get; } = GpuTargets.Create(DType.F64);
}
