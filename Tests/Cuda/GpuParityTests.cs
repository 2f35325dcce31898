using StaticGraph.Backend;
using StaticGraph.Cuda.Backend;
using StaticGraph.Ops;
using StaticGraph.Tests.Cuda.Emulation;
using Xunit;

namespace StaticGraph.Tests.Cuda;

/// <summary>
/// The CUDA backend on a real GPU against the CPU backend: every model's training steps (which between them use every
/// op), random draws bit for bit, bitwise-equal replays in deterministic mode, and graph replay equal to eager issue.
/// Without a GPU every test here reports skipped, naming what is missing.
/// </summary>
public class GpuParityTests
{
    private static readonly string? Unavailable = CudaBackend.Unavailable();

    private static void RequireGpu()
    {
        if (Unavailable is { } why) Assert.Skip("no usable GPU: " + why);
    }

    public static TheoryData<string> Models() => [.. ModelPrograms.All().Select(c => c.Name)];

    [Theory]
    [MemberData(nameof(Models))]
    public void Three_f32_training_steps_match_the_CPU(string name)
    {
        RequireGpu();
        var c = ModelPrograms.All().Single(m => m.Name == name);
        var (training, _) = c.Build(DType.F32, batch: 4, size: 16);
        using var gpu = CudaBackend.Default.Compile(training, new CompileOptions(Seed: 11));
        // f32 within 1e-4 relative per op; three steps of a deep network compound it, hence 1e-3 on the weights.
        EmulatorParity.AssertMatchesCpu(gpu, ModelStepEmulationTests.Feeds(DType.F32, 4, c.Channels, 16), 11, runs: 3, f32Tolerance: 1e-3, f64Tolerance: 0);
    }

    [Theory]
    [InlineData("resnet-preact-20")]
    [InlineData("shake-shake-26-2x32d")]
    [InlineData("pyramidnet-110-270-shakedrop")]
    public void Two_f64_training_steps_match_the_CPU_closely(string name)
    {
        RequireGpu();
        var c = ModelPrograms.All().Single(m => m.Name == name);
        var (training, _) = c.Build(DType.F64, batch: 2, size: 8);
        using var gpu = CudaBackend.Default.Compile(training, new CompileOptions(Seed: 5));
        EmulatorParity.AssertMatchesCpu(gpu, ModelStepEmulationTests.Feeds(DType.F64, 2, c.Channels, 8), 5, runs: 2, f32Tolerance: 0, f64Tolerance: 1e-9);
    }

    [Theory]
    [InlineData(DType.F32)]
    [InlineData(DType.F64)]
    public void Random_draws_are_bitwise_the_CPUs_at_every_step(DType dtype)
    {
        RequireGpu();
        var b = new GraphBuilder(dtype);
        var x = b.Input("x", dtype, 3, 1000);
        var u = b.Uniform("u", [3, 1000], -1, 2, dtype);
        var m = b.Bernoulli("m", [3, 1000], 0.3, dtype);
        var program = GraphProgram.Inference(b.Add(b.Mul(x, u), m), u, m);
        using var gpu = CudaBackend.Default.Compile(program, new CompileOptions(Seed: 99));
        var feeds = new Dictionary<string, Array> { ["x"] = dtype == DType.F32 ? new float[3000] : new double[3000] };
        foreach (var step in new long[] { 0, 1, 17 })
            EmulatorParity.AssertMatchesCpu(gpu, feeds, 99, runs: 2, f32Tolerance: 0, f64Tolerance: 0, startStep: step);
    }

    [Fact]
    public void Two_runs_in_deterministic_mode_are_bitwise_equal_and_replays_equal_eager_issue()
    {
        RequireGpu();
        var c = ModelPrograms.All().Single(m => m.Name == "shake-shake-26-2x32d");
        var (training, _) = c.Build(DType.F32, batch: 8, size: 32);
        var feeds = ModelStepEmulationTests.Feeds(DType.F32, 8, c.Channels, 32);
        byte[][] Train(CudaOptions options)
        {
            using var run = new CudaBackend(options).Compile(training, new CompileOptions(Seed: 3));
            run.SetInput<float>("image", (float[])feeds["image"]);
            run.SetInput<int>("label", (int[])feeds["label"]);
            for (var i = 0; i < 4; i++) run.Run();
            return training.Variables.Select(v => run.ReadVariableBytes(v.Name!)).ToArray();
        }
        var first = Train(CudaOptions.Default);
        var second = Train(CudaOptions.Default);
        var eager = Train(CudaOptions.Default with { CaptureGraph = false });
        for (var i = 0; i < first.Length; i++)
        {
            Assert.Equal(first[i], second[i]);
            Assert.Equal(first[i], eager[i]);
        }
    }

    [Fact]
    public void A_non_finite_update_is_refused_and_names_the_node()
    {
        RequireGpu();
        var b = new GraphBuilder(DType.F32);
        var x = b.Input("x", DType.F32, 4);
        var w = b.Parameter("w", new ConstantInit(1), [4]);
        var loss = b.Sum(b.Mul(b.Apply(new UnaryOp(UnaryFunction.Log), x), w), [0]);
        var program = Autodiff.Train(loss, new Sgd(0.9, 0, false), Schedule.Constant(0.1));
        using var gpu = CudaBackend.Default.Compile(program, new CompileOptions());
        gpu.GuardUpdates = true;
        gpu.SetInput<float>("x", [1, 2, 0, 3]); // log(0) = -inf: the gradient of w is infinite
        var before = gpu.ReadVariable<float>("w");
        Assert.Throws<StaticGraph.Backend.NonFiniteValueException>(gpu.Run);
        Assert.Equal(before, gpu.ReadVariable<float>("w"));
        Assert.Equal(0, gpu.Step);
    }
}
