using StaticGraph.Conformance.Steps;
using StaticGraph.Cuda.Kernels;
using StaticGraph.Cuda.Lowering;
using StaticGraph.Cuda.Native;
using StaticGraph.Models;
using StaticGraph.Ops;
using Xunit;

namespace StaticGraph.Tests.Cuda;

/// <summary>
/// Every kernel the CUDA backend generates for the programs users run (the conformance kit's step programs: every model,
/// regularizer variant and objective, training and inference, f32 and f64, and f32 in BF16 and FP16 mixed precision, and a
/// rank of a data-parallel run) compiles with NVRTC for compute_80 and compute_90. A kernel that does not compile
/// fails here, on a machine without a GPU, not on the GPU.
/// </summary>
public class GeneratedKernelTests
{
    private static readonly Lazy<Dictionary<DType, List<CudaKernelSource>>> Catalogue = new(() =>
    {
        var byType = new Dictionary<DType, List<CudaKernelSource>>();
        foreach (var dtype in new[] { DType.F32, DType.F64 })
        {
            var kernels = new Dictionary<string, CudaKernelSource>(StringComparer.Ordinal);
            foreach (var training in StepPrograms.All.Select(c => c.Build(dtype)).Append(DataParallelTraining(dtype)))
            {
                // f32 programs are also planned in both mixed precisions (their conversion kernels join the f32 set), so
                // every model's convolutions and GEMMs are known to lower in 16 bits too.
                var precisions = dtype == DType.F32 ? Enum.GetValues<ComputePrecision>() : [ComputePrecision.F32];
                foreach (var p in new[] { training, StepProgram.InferenceOf(training) }.OfType<GraphProgram>())
                    foreach (var k in precisions.SelectMany(precision => CudaPlanner.Plan(p, new CudaPlanOptions(precision)).Kernels))
                    {
                        if (kernels.TryGetValue(k.Name, out var seen) && seen.Source != k.Source)
                            throw new InvalidOperationException($"two different kernels are both named {k.Name}");
                        kernels[k.Name] = k;
                    }
            }
            byType[dtype] = [.. kernels.Values.OrderBy(k => k.Name, StringComparer.Ordinal)];
        }
        return byType;
    });

    public static TheoryData<DType, string> TypesAndArchs() => new()
    {
        { DType.F32, "compute_80" }, { DType.F32, "sm_80" }, { DType.F32, "sm_90" },
        { DType.F64, "compute_80" }, { DType.F64, "sm_80" }, { DType.F64, "sm_90" },
    };

    /// <summary>
    /// Every kernel compiles, to PTX (what a GPU newer than NVRTC gets) and to machine code for the A100's and H100's
    /// architectures (what the executable loads on them), and ptxas spills no register of any: every generated kernel runs
    /// in every step, so each is hot, and a spill there would cost memory traffic on every launch.
    /// </summary>
    [Theory]
    [MemberData(nameof(TypesAndArchs))]
    public void Every_kernel_of_every_model_compiles_with_NVRTC(DType dtype, string arch)
    {
        if (CudaLibraries.NvrtcMissing is { } why) Assert.Skip(why);
        var kernels = Catalogue.Value[dtype];
        var image = NvrtcCompiler.Compile(string.Join("\n", kernels.Select(k => k.Source)), $"all-{dtype}.cu", arch);
        if (!image.IsCubin)
        {
            foreach (var k in kernels) Assert.Contains($".entry {k.Name}(", image.Ptx);
            TestContext.Current.SendDiagnosticMessage($"{kernels.Count} {dtype} kernels compiled for {arch}");
            return;
        }
        var report = KernelResources.Parse(image.Log).ToDictionary(r => r.Kernel, StringComparer.Ordinal);
        foreach (var k in kernels) Assert.True(report.ContainsKey(k.Name), $"ptxas reported nothing for {k.Name}");
        var spilling = report.Values.Where(r => r.Spills).Select(r => r.ToString()).ToList();
        Assert.True(spilling.Count == 0, $"kernels that spill registers: {string.Join("; ", spilling)}");
        var widest = report.Values.MaxBy(r => r.Registers)!;
        var deepest = report.Values.MaxBy(r => r.StackBytes)!;
        TestContext.Current.SendDiagnosticMessage(
            $"{kernels.Count} {dtype} kernels compiled for {arch}, none spills; most registers: {widest}; largest stack: {deepest}");
    }

    [Fact]
    public void Every_kernel_also_compiles_alone()
    {
        // One translation unit per kernel, as a user compiling a single op would: no kernel may lean on a helper that only
        // another kernel brings in.
        if (CudaLibraries.NvrtcMissing is { } why) Assert.Skip(why);
        foreach (var k in Catalogue.Value.Values.SelectMany(v => v))
            Assert.Contains($".entry {k.Name}(", NvrtcCompiler.CompileToPtx(k.Source, k.Name + ".cu", "compute_80"));
    }

    [Fact]
    public void Every_op_of_every_model_has_a_CUDA_lowering()
    {
        var missing = StepPrograms.All
            .SelectMany(c => c.Build(DType.F32).Nodes)
            .Concat(DataParallelTraining(DType.F32).Nodes)
            .Select(n => n.Op)
            // A projection of a multi-output node is written by its producer's lowering.
            .Where(op => op is not (InputOp or VariableOp or ConstantOp or OutputOp) && op.AliasOf(ProgramMode.Training) is null && op.AliasOf(ProgramMode.Inference) is null)
            .Select(op => op.GetType())
            .Distinct()
            .Where(t => !CudaLoweringRegistry.LoweredOpTypes().Contains(t))
            .Select(t => t.Name)
            .ToList();
        Assert.Empty(missing);
    }

    /// <summary>One rank's training program of a two-rank data-parallel run (its gradients pass through all_reduce).</summary>
    private static GraphProgram DataParallelTraining(DType dtype)
    {
        var b = new GraphBuilder(dtype);
        var images = b.Input("image", dtype, 2, 3, 16, 16);
        var labels = b.Input("label", DType.I32, 2);
        var logits = ModelZoo.Get("resnet-preact-20")(b, images, 10);
        var loss = b.SoftmaxCrossEntropy(logits, labels);
        return Autodiff.Train(loss, new Sgd(0.9, 5e-4, Nesterov: true), Schedule.Constant(0.1), new DataParallel(2), logits);
    }
}
