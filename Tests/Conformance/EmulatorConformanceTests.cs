using StaticGraph.Conformance;
using StaticGraph.Cuda.Lowering;
using StaticGraph.Tests.Cuda.Emulation;

namespace StaticGraph.Tests.Conformance;

/// <summary>
/// The CUDA backend's plans run on the host emulator (the generated kernels compiled by g++, reference cuDNN and cuBLAS
/// loops) as a conformance target: what the GPU would compute, checked without one. Each plan's kernels are also compiled
/// with NVRTC for the GPU architectures when NVRTC is present. Skipped without a host C++ compiler.
/// </summary>
internal static class EmulatorTargets
{
    /// <summary>The emulator computing <paramref name="dtype"/> programs in <paramref name="precision"/>.</summary>
    public static ConformanceTarget Create(DType dtype, ComputePrecision precision = ComputePrecision.F32)
    {
        var name = dtype == DType.F64 ? "f64" : precision switch { ComputePrecision.BF16 => "bf16", ComputePrecision.F16 => "fp16", _ => "f32" };
        return new ConformanceTarget($"emulator-{name}", dtype, dtype == DType.F64 ? "f32" : name, (program, options) =>
        {
            var plan = CudaPlanner.Plan(program, new CudaPlanOptions(precision));
            EmulatorParity.CompileForGpu(plan);
            return new PlanEmulator(plan, options.Seed);
        })
        {
            Unavailable = HostKernelLibrary.Missing,
            Omit = Omit,
        };
    }

    /// <summary>The zoo's largest models: 20 to 90 seconds per emulated step (reference convolutions on the host).</summary>
    private static readonly HashSet<string> Largest = new(StringComparer.Ordinal)
    {
        "wrn-28-10", "wrn-28-10+dropout", "resnext-29-2x4x64d-shake", "shake-shake-26-2x64d", "shake-shake-26-2x96d", "pyramidnet-110-270-shakedrop",
    };

    private static string? Omit(ConformanceCase c) => c.Family switch
    {
        "repeat" => "the emulator runs every kernel's threads one after another on the host: two runs are one computation twice (the CPU and GPU targets check the promise)",
        "step" or "inference" when Largest.Contains(c.Name) =>
            "one emulated step of this model takes 20 to 90 s of host convolution loops: its blocks are emulated in the family's smaller models (dropout and ShakeDrop in dropout+shakedrop-net), the model itself runs on the CPU targets and the GPU",
        _ => null,
    };
}

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
