using System.Collections.Concurrent;
using StaticGraph.Backend;
using StaticGraph.Backend.Cpu;
using StaticGraph.Conformance;
using StaticGraph.Cuda.Lowering;
using StaticGraph.Cuda.Native;
using Xunit;

namespace StaticGraph.Tests.Cuda.Emulation;

/// <summary>
/// Runs a program on the CPU backend and, planned for CUDA, on the host emulator, and compares every fetch and variable:
/// for the emulator tests that hold the lowering to more than the conformance kit's table (bitwise updates and sums in
/// index order, the update guard, fusion), with the kit's error measure.
/// Also compiles the plan's kernels with NVRTC (when present) for both target architectures, so each parity test proves
/// the kernels it ran also build for the GPU.
/// </summary>
internal static class EmulatorParity
{
    private static readonly ConcurrentDictionary<string, bool> Compiled = new();

    /// <summary>Skips (visibly) when there is no host compiler.</summary>
    public static void RequireEmulator()
    {
        if (HostKernelLibrary.Missing is { } why) Assert.Skip(why);
    }

    /// <summary>Plans, compiles for the GPU, emulates and compares with the CPU backend after <paramref name="runs"/> runs.</summary>
    public static CudaPlan AssertMatchesCpu(GraphProgram program, IReadOnlyDictionary<string, Array> feeds, ulong seed = 7, int runs = 1,
        double f32Tolerance = 1e-4, double f64Tolerance = 1e-10, long startStep = 0)
    {
        RequireEmulator();
        var plan = CudaPlanner.Plan(program);
        CompileForGpu(plan);
        using var emu = new PlanEmulator(plan, seed);
        AssertMatchesCpu(emu, feeds, seed, runs, f32Tolerance, f64Tolerance, startStep);
        return plan;
    }

    /// <summary>Runs <paramref name="target"/> and the CPU backend on the same program and feeds, and compares every fetch and variable.</summary>
    public static void AssertMatchesCpu(IExecutable target, IReadOnlyDictionary<string, Array> feeds, ulong seed, int runs,
        double f32Tolerance, double f64Tolerance, long startStep = 0)
    {
        var program = target.Program;
        var emu = target;
        using var cpu = CpuBackend.Instance.CompileCpu(program, new CompileOptions(seed, Threads: 1));
        cpu.Step = emu.Step = startStep;
        foreach (var (name, values) in feeds.Where(f => program.Inputs.Any(i => i.Name == f.Key)))
        {
            switch (values)
            {
                case float[] f: cpu.SetInput<float>(name, f); emu.SetInput<float>(name, f); break;
                case double[] d: cpu.SetInput<double>(name, d); emu.SetInput<double>(name, d); break;
                case int[] i: cpu.SetInput<int>(name, i); emu.SetInput<int>(name, i); break;
                default: throw new ArgumentException($"feed '{name}' is a {values.GetType().Name}");
            }
        }
        for (var r = 0; r < runs; r++)
        {
            cpu.Run();
            emu.Run();
        }
        foreach (var f in program.Fetches) Compare(f.ToString() + " " + f.Op.Name, f.DType, Read(cpu, f), ReadEmu(emu, f), f32Tolerance, f64Tolerance);
        foreach (var v in program.Variables)
            Compare($"variable '{v.Name}'", v.DType, ReadVariable(cpu, v), ReadVariableEmu(emu, v), f32Tolerance, f64Tolerance);
    }

    /// <summary>
    /// Compiles the plan's kernels with NVRTC for compute_80 and compute_90: those this process has not compiled yet, as
    /// one module (every kernel's source carries its guarded helpers, so any subset is a valid module).
    /// </summary>
    public static void CompileForGpu(CudaPlan plan)
    {
        if (CudaLibraries.NvrtcMissing is not null) return;
        var kernels = plan.Kernels.DistinctBy(k => k.Name).Where(k => !Compiled.ContainsKey(k.Source)).ToList();
        if (kernels.Count == 0) return;
        var source = string.Join("\n", kernels.Select(k => k.Source));
        foreach (var arch in new[] { "compute_80", "compute_90" })
        {
            var ptx = NvrtcCompiler.CompileToPtx(source, "plan.cu", arch);
            foreach (var k in kernels) Assert.Contains($".entry {k.Name}(", ptx);
        }
        foreach (var k in kernels) Compiled[k.Source] = true;
    }

    private static double[] Read(CpuExecutable cpu, Node n) => n.DType switch
    {
        DType.F32 => cpu.Read<float>(n).Select(v => (double)v).ToArray(),
        DType.F64 => cpu.Read<double>(n),
        _ => cpu.Read<int>(n).Select(v => (double)v).ToArray(),
    };

    private static double[] ReadEmu(IExecutable emu, Node n) => n.DType switch
    {
        DType.F32 => emu.Read<float>(n).Select(v => (double)v).ToArray(),
        DType.F64 => emu.Read<double>(n),
        _ => emu.Read<int>(n).Select(v => (double)v).ToArray(),
    };

    private static double[] ReadVariable(CpuExecutable cpu, Node v) => v.DType == DType.F32
        ? cpu.ReadVariable<float>(v.Name!).Select(x => (double)x).ToArray() : cpu.ReadVariable<double>(v.Name!);

    private static double[] ReadVariableEmu(IExecutable emu, Node v) => v.DType == DType.F32
        ? emu.ReadVariable<float>(v.Name!).Select(x => (double)x).ToArray() : emu.ReadVariable<double>(v.Name!);

    /// <summary>
    /// Equal within a relative tolerance by the conformance kit's measure (<see cref="Errors.Relative"/>: absolute against 1%
    /// of the tensor's scale near zero; NaN must match NaN; integers exactly).
    /// </summary>
    public static void Compare(string what, DType dtype, double[] expected, double[] actual, double f32Tolerance, double f64Tolerance)
    {
        Assert.Equal(expected.Length, actual.Length);
        var tol = dtype switch { DType.F32 => f32Tolerance, DType.F64 => f64Tolerance, _ => 0 };
        var worst = Errors.Relative(expected, actual);
        if (!(worst.Error <= tol))
            Assert.Fail($"{what}: {worst.Where} of {expected.Length} (CPU against CUDA; relative error {worst.Error:E2} > {tol:E0})");
    }
}
