using StaticGraph.Conformance;

namespace StaticGraph.Tests.Conformance;

/// <summary>The CPU backend's fast f32 path against the f64 reference.</summary>
public sealed class CpuF32ConformanceTests : StepConformanceTests
{
    protected override ConformanceTarget Target { get; } = ConformanceTarget.Cpu(DType.F32);
}

/// <summary>
/// The CPU backend in f64 on two threads against the reference, itself on one: every op and its gradient program, and
/// repeated runs. It has no step or inference cases: those are the reference's own programs.
/// </summary>
public sealed class CpuF64ConformanceTests : ConformanceTests
{
    protected override ConformanceTarget Target { get; } = ConformanceTarget.Cpu(DType.F64);
}
