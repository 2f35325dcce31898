using StaticGraph.Conformance;
using StaticGraph.Cuda.Lowering;
using Xunit;

namespace StaticGraph.Tests.Conformance;

/// <summary>
/// A 16-bit precision mode of the emulated CUDA backend on the cases it computes differently from f32
/// (<see cref="EmulatorTargets.ChangesWithPrecision"/>): the measurements behind the table's 16-bit rows, kept in CI.
/// </summary>
public abstract class PrecisionConformanceTests
{
    /// <summary>The target every case of the class runs on.</summary>
    protected abstract ConformanceTarget Target { get; }

    public static TheoryData<string> Cases() => [.. ConformanceKit.Cases.Where(EmulatorTargets.ChangesWithPrecision).Select(c => c.Id)];

    [Theory]
    [MemberData(nameof(Cases))]
    public void Case(string id) => ConformanceTests.Check(Target, id);
}

/// <summary>The emulated CUDA backend with BF16 convolutions and GEMMs (f32 master weights).</summary>
public sealed class EmulatorBf16ConformanceTests : PrecisionConformanceTests
{
    protected override ConformanceTarget Target { get; } = EmulatorTargets.Create(DType.F32, ComputePrecision.BF16);
}

/// <summary>The emulated CUDA backend with FP16 convolutions and GEMMs and dynamic loss scaling.</summary>
public sealed class EmulatorFp16ConformanceTests : PrecisionConformanceTests
{
    protected override ConformanceTarget Target { get; } = EmulatorTargets.Create(DType.F32, ComputePrecision.F16);
}
