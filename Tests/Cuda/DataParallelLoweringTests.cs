using StaticGraph.Backend;
using StaticGraph.Backend.Cpu;
using StaticGraph.Cuda.Backend;
using StaticGraph.Cuda.Lowering;
using StaticGraph.Cuda.Native;
using StaticGraph.Distributed;
using StaticGraph.Ops;
using StaticGraph.Tests.Cuda.Emulation;
using Xunit;

namespace StaticGraph.Tests.Cuda;

/// <summary>
/// The CUDA side of data parallelism: the plan sums each bucket with one NCCL all-reduce on the step's stream and divides
/// it by the world size; the emulator runs two such plans as two ranks (the host communicator standing in for NCCL) and
/// matches two CPU ranks. NCCL itself needs two GPUs: that test reports skipped here.
/// </summary>
public class DataParallelLoweringTests
{
    private static GraphProgram Program(DType dtype, int world, long bucketBytes = DataParallel.DefaultBucketBytes)
    {
        var b = new GraphBuilder(dtype);
        var x = b.Input("image", dtype, 2, 2, 6, 6);
        var y = b.Input("label", DType.I32, 2);
        var h = b.Relu(b.BatchNorm(b.Conv2d(x, 4, 3, padding: 1)));
        var logits = b.Linear(b.GlobalAvgPool(h), 3);
        var loss = b.SoftmaxCrossEntropy(logits, y);
        return Autodiff.Train(loss, Sgd.WithNesterov(), Schedule.Constant(0.1), new DataParallel(world, bucketBytes), logits);
    }

    private static Dictionary<string, Array> Slice(DType dtype, int rank)
    {
        var feeds = ElementwiseLoweringTests.Feeds(dtype, ("image", 2 * 2 * 6 * 6 * 2));
        var all = feeds["image"];
        var mine = Array.CreateInstance(all.GetType().GetElementType()!, all.Length / 2);
        Array.Copy(all, rank * mine.Length, mine, 0, mine.Length);
        return new Dictionary<string, Array> { ["image"] = mine, ["label"] = new[] { rank, 2 - rank } };
    }

    [Fact]
    public void Each_bucket_is_one_NCCL_sum_on_the_stream_then_one_division()
    {
        var program = Program(DType.F32, world: 4, bucketBytes: 64);
        var plan = CudaPlanner.Plan(program);
        var reduces = program.Nodes.Where(n => n.Op is AllReduceOp).ToList();
        Assert.True(reduces.Count > 2, $"64-byte buckets should split the gradients, got {reduces.Count} bucket(s)");
        var nccl = plan.Commands.OfType<NcclAllReduceCommand>().ToList();
        Assert.Equal(reduces, nccl.Select(c => c.Node));
        foreach (var command in nccl)
        {
            Assert.Equal(plan.Addresses[command.Node!.Inputs[0]], command.From);
            Assert.Equal(plan.Addresses[command.Node!], command.To);
            Assert.Equal(command.Node!.Shape.ElementCount, command.Count);
            var next = plan.Commands[plan.Commands.ToList().IndexOf(command) + 1];
            var divide = Assert.IsType<LaunchCommand>(next);
            Assert.Equal("sg_divide_f32", divide.Kernel.Name);
            Assert.Same(command.Node, divide.Node);
        }
    }

    [Theory]
    [InlineData(DType.F64, 1e-10)]
    [InlineData(DType.F32, 1e-4)]
    public void Two_emulated_GPUs_train_as_two_CPU_ranks(DType dtype, double tolerance)
    {
        EmulatorParity.RequireEmulator();
        var emulator = Backends.Resolve("cuda-emulator");
        EmulatorParity.CompileForGpu(CudaPlanner.Plan(Program(dtype, 2)));
        var results = InProcessGroup.Run(2, world =>
        {
            var program = Program(dtype, 2);
            using var gpu = emulator.Compile(program, new CompileOptions(Seed: 3, Communicator: world));
            using var cpu = CpuBackend.Instance.Compile(program, new CompileOptions(Seed: 3, Threads: 1, Communicator: world));
            foreach (var exe in new[] { gpu, cpu })
            {
                foreach (var (name, values) in Slice(dtype, world.Rank))
                {
                    if (values is float[] f) exe.SetInput<float>(name, f);
                    else if (values is double[] d) exe.SetInput<double>(name, d);
                    else exe.SetInput<int>(name, (int[])values);
                }
            }
            // Both executables of a rank reduce in the same order: every step of one, then every step of the other.
            for (var step = 0; step < 2; step++) gpu.Run();
            for (var step = 0; step < 2; step++) cpu.Run();
            return program.Variables.Select(v => (v.Name!, Read(gpu, v), Read(cpu, v))).ToList();
        });
        foreach (var rank in results)
            foreach (var (name, gpu, cpu) in rank)
                EmulatorParity.Compare($"variable '{name}'", dtype, cpu, gpu, tolerance, tolerance);
        // Every rank holds the same variables.
        foreach (var ((name, a, _), (_, b, _)) in results[0].Zip(results[1])) Assert.True(a.SequenceEqual(b), $"'{name}' differs between the ranks");
    }

    [Fact]
    public void Without_NCCL_the_library_error_is_one_line_naming_it()
    {
        var spec = NativeLibraryResolver.Known[NativeLibraryResolver.NcclName];
        if (NativeLibraryResolver.TryLoad(spec, out var loaded, out var error)) Assert.Skip($"NCCL is installed here ({loaded.Location})");
        Assert.DoesNotContain('\n', error.Message);
        Assert.StartsWith("CUDA library 'NCCL' (libnccl.so.2) not found; searched: ", error.Message);
        Assert.Contains("/usr/lib/x86_64-linux-gnu", error.Message);
    }

    [Fact]
    public void Nccl_version_codes_decode_both_ways_nccl_has_written_them()
    {
        Assert.Equal("2.8.4", Nccl.Decode(2804));
        Assert.Equal("2.21.5", Nccl.Decode(22105));
        Assert.Equal("ncclInvalidUsage", Nccl.ResultName(5));
    }

    [Fact]
    public void Two_GPUs_average_through_NCCL_inside_the_captured_graph_as_two_CPU_ranks()
    {
        if (CudaBackend.Unavailable() is { } why) Assert.Skip("no usable GPU: " + why);
        if (CudaDriver.DeviceCount() < 2) Assert.Skip($"NCCL needs two GPUs; this machine has {CudaDriver.DeviceCount()}");
        if (!NativeLibraryResolver.TryLoad(NativeLibraryResolver.Known[NativeLibraryResolver.NcclName], out _, out var missing)) Assert.Skip(missing.Message);
        var results = InProcessGroup.Run(2, world =>
        {
            var program = Program(DType.F32, 2);
            using var gpu = new CudaBackend(CudaOptions.Default with { Device = world.Rank }).Compile(program, new CompileOptions(Seed: 3, Communicator: world));
            using var cpu = CpuBackend.Instance.Compile(program, new CompileOptions(Seed: 3, Threads: 1, Communicator: world));
            foreach (var exe in new[] { gpu, cpu })
            {
                var feeds = Slice(DType.F32, world.Rank);
                exe.SetInput<float>("image", (float[])feeds["image"]);
                exe.SetInput<int>("label", (int[])feeds["label"]);
            }
            // Three steps: eager, captured, replayed.
            for (var step = 0; step < 3; step++) gpu.Run();
            for (var step = 0; step < 3; step++) cpu.Run();
            return program.Variables.Select(v => (v.Name!, Read(gpu, v), Read(cpu, v))).ToList();
        });
        foreach (var rank in results)
            foreach (var (name, gpu, cpu) in rank)
                EmulatorParity.Compare($"variable '{name}'", DType.F32, cpu, gpu, 1e-4, 0);
    }

    private static double[] Read(IExecutable exe, Node v) => v.DType == DType.F32
        ? [.. exe.ReadVariable<float>(v.Name!).Select(x => (double)x)]
        : exe.ReadVariable<double>(v.Name!);
}
