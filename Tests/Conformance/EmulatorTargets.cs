using StaticGraph.Conformance;
using StaticGraph.Conformance.Ops;
using StaticGraph.Cuda.Lowering;
using StaticGraph.Ops;
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

    /// <summary>
    /// The cases a 16-bit precision mode computes differently from f32: the convolutions and GEMMs (every other op is f32's),
    /// and whole programs: resnet-preact-20, whose 16-bit step the table's rows were measured on, and the small CNN.
    /// (DenseNet-BC-100's logits measured 13.6u in BF16, past the rows' 10u; and its inference, on batch norm's initial
    /// running statistics, overflows FP16's 65504 as an untrained network's activations grow layer by layer.)
    /// </summary>
    public static bool ChangesWithPrecision(ConformanceCase c) => c switch
    {
        OpCase o => o.Op.Name.StartsWith("Conv2d", StringComparison.Ordinal) || o.Op == typeof(MatMulOp),
        { Family: "step" or "inference" } => c.Name is "resnet-preact-20" or "small-cnn",
        _ => false,
    };

    /// <summary>The zoo's largest models: 20 to 90 seconds per emulated step (reference convolutions on the host).</summary>
    private static readonly HashSet<string> Largest = new(StringComparer.Ordinal)
    {
        "wrn-28-10", "wrn-28-10+dropout", "resnext-29-2x4x64d-shake", "shake-shake-26-2x64d", "shake-shake-26-2x96d", "pyramidnet-110-270-shakedrop",
    };

    private static string? Omit(ConformanceCase c) => c.Family switch
    {
        "repeat" => "the emulator runs every kernel's threads one after another on the host: two runs are one computation twice (the CPU and GPU targets check the promise)",
        "step" or "inference" when Largest.Contains(c.Name) =>
            "one emulated step of this model takes 20 to 90 s of host convolution loops (its inference a third of that): its blocks are emulated in the family's smaller models (dropout and ShakeDrop in dropout+shakedrop-net), the model itself runs on the CPU targets and the GPU",
        _ => null,
    };
}
