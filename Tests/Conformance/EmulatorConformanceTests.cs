using StaticGraph.Conformance;

namespace StaticGraph.Tests.Conformance;

/// <summary>The emulated CUDA backend in f32 (TF32 off).</summary>
public sealed class EmulatorF32ConformanceTests : StepConformanceTests
{
    protected override ConformanceTarget Target { get; } = EmulatorTargets.Create(DType.F32);
}

/// <summary>The emulated CUDA backend in f64.</summary>
public sealed class EmulatorF64ConformanceTests : StepConformanceTests
{
    protected override ConformanceTarget Target { get; } = EmulatorTargets.Create(DType.F64);
}
