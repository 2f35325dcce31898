using StaticGraph.Backend;
using StaticGraph.Backend.Cpu;
using StaticGraph.Cuda.Kernels;
using StaticGraph.Cuda.Lowering;
using StaticGraph.Ops;
using StaticGraph.Tests.Cuda.Emulation;
using Xunit;

namespace StaticGraph.Tests.Cuda;

/// <summary>
/// BF16 and FP16 mixed precision: the plans (16-bit convolutions and GEMMs between f32 conversions, f64 untouched), whole
/// emulated training steps against the CPU's f32 step within the 16-bit formats' tolerances, and FP16's dynamic loss
/// scaling (an overflowing step is skipped and the scale halved, as on the device).
/// </summary>
public class MixedPrecisionTests
{
    [Theory]
    [InlineData(ComputePrecision.BF16)]
    [InlineData(ComputePrecision.F16)]
    public void Every_convolution_and_GEMM_of_an_f32_program_runs_on_16_bit_tensors(ComputePrecision precision)
    {
        var (training, inference) = ModelPrograms.All().Single(c => c.Name == "resnet-preact-20").Build(DType.F32, batch: 2, size: 8);
        var half = MixedPrecision(precision);
        foreach (var program in new[] { training, inference })
        {
            var plan = CudaPlanner.Plan(program, new CudaPlanOptions(precision));
            Assert.Equal(precision, plan.Options.Precision);
            Assert.NotEmpty(plan.Commands.OfType<ConvolutionCommand>());
            Assert.All(plan.Commands.OfType<ConvolutionCommand>(), c => Assert.Equal(half, c.DType));
            var gemms = plan.Commands.OfType<GemmCommand>().ToList();
            Assert.NotEmpty(gemms);
            Assert.All(gemms, g => Assert.Equal((DType.F32, half), (g.DType, g.OperandDType)));
            // Only f16 reads the loss scale; bf16 has f32's range.
            Assert.Equal(precision == ComputePrecision.F16, plan.UsesLossScale);
            // Every 16-bit operand lives in scratch, produced by a conversion launch of the same node just before.
            foreach (var c in plan.Commands.OfType<ConvolutionCommand>())
                Assert.All(new[] { c.X, c.W, c.Y }, a => Assert.True(a.Variable is null && a.Offset >= plan.ScratchOffset, $"{c.Node}: {a} is not scratch"));
        }

        var backward = CudaPlanner.Plan(training, new CudaPlanOptions(precision));
        var launches = backward.Commands.OfType<LaunchCommand>().ToList();
        if (precision == ComputePrecision.F16)
        {
            // Each backward convolution scales its dy on the way in and unscales its result on the way out.
            var backwardConvolutions = backward.Commands.OfType<ConvolutionCommand>().Count(c => c.Direction != ConvolutionDirection.Forward);
            Assert.Equal(backwardConvolutions, launches.Count(l => l.Kernel == HalfPrecisionSource.F16ToF32Unscaled));
            Assert.True(launches.Count(l => l.Kernel == HalfPrecisionSource.F32ToF16Scaled) >= backwardConvolutions);
            Assert.Contains(launches, l => l.Kernel == HalfPrecisionSource.UnscaleF32); // the classifier's weight and input gradients
        }
        else
        {
            CudaKernelSource[] halfOnly = [HalfPrecisionSource.F32ToF16, HalfPrecisionSource.F32ToF16Scaled, HalfPrecisionSource.F16ToF32,
                HalfPrecisionSource.F16ToF32Unscaled, HalfPrecisionSource.UnscaleF32];
            Assert.DoesNotContain(launches, l => halfOnly.Contains(l.Kernel));
        }
    }

    [Theory]
    [InlineData(ComputePrecision.BF16)]
    [InlineData(ComputePrecision.F16)]
    public void An_f64_program_ignores_the_compute_precision(ComputePrecision precision)
    {
        var (training, _) = ModelPrograms.All().Single(c => c.Name == "resnet-preact-20").Build(DType.F64, batch: 2, size: 8);
        var plain = CudaPlanner.Plan(training);
        var mixed = CudaPlanner.Plan(training, new CudaPlanOptions(precision));
        Assert.Equal(plain.Commands.Count, mixed.Commands.Count);
        Assert.All(mixed.Commands.OfType<ConvolutionCommand>(), c => Assert.Equal(DType.F64, c.DType));
        Assert.All(mixed.Commands.OfType<GemmCommand>(), g => Assert.Equal(DType.F64, g.OperandDType));
        Assert.Equal(plain.Kernels.Select(k => k.Name), mixed.Kernels.Select(k => k.Name));
        Assert.False(mixed.UsesLossScale);
    }

    /// <summary>
    /// One training step of resnet-preact-20 (batch 4, 12×12) emulated in each precision against the CPU's f32 step. The
    /// loss is compared relatively; the logits and the updates (new minus initial value of every variable, parameters and
    /// BN statistics) by relative L2 error per tensor, since single elements of a gradient can be near zero.
    /// </summary>
    [Theory]
    [InlineData(ComputePrecision.BF16, 1e-2, 3e-2, 6e-2)]
    [InlineData(ComputePrecision.F16, 2e-3, 5e-3, 1e-2)]
    public void A_resnet_training_step_in_16_bits_is_within_tolerance_of_the_f32_CPU_step(ComputePrecision precision, double lossTolerance,
        double logitsTolerance, double updateTolerance)
    {
        EmulatorParity.RequireEmulator();
        var c = ModelPrograms.All().Single(m => m.Name == "resnet-preact-20");
        var (training, _) = c.Build(DType.F32, batch: 4, size: 12);
        var feeds = ModelStepEmulationTests.Feeds(DType.F32, 4, c.Channels, 12);
        var cpu = CpuStep(training, feeds);
        var f32 = Errors(cpu, EmulatedStep(training, feeds, ComputePrecision.F32));
        var half = Errors(cpu, EmulatedStep(training, feeds, precision));
        TestContext.Current.SendDiagnosticMessage($"{precision}: loss {half.Loss:E2}, logits {half.Logits:E2}, worst update {half.Update:E2} ({half.Worst}); f32 plan: {f32.Loss:E2}, {f32.Logits:E2}, {f32.Update:E2}");

        Assert.True(half.Loss <= lossTolerance, $"{precision} loss is {half.Loss:E2} off");
        Assert.True(half.Logits <= logitsTolerance, $"{precision} logits are {half.Logits:E2} off");
        Assert.True(half.Update <= updateTolerance, $"{precision} update of {half.Worst} is {half.Update:E2} off");
        // The 16-bit path ran: the f32 plan is far closer to the CPU than the 16-bit one.
        Assert.True(f32.Logits * 20 < half.Logits && f32.Update * 20 < half.Update, $"f32 plan: logits {f32.Logits:E2}, update {f32.Update:E2}");
    }

    [Theory]
    [InlineData(ComputePrecision.BF16, 1e-2, 1e-2, 1e-2)]
    [InlineData(ComputePrecision.F16, 1e-2, 1e-2, 1e-2)]
    public void A_smooth_network_step_in_16_bits_is_within_a_few_16_bit_ulps_of_the_f32_CPU_step(ComputePrecision precision, double lossTolerance,
        double logitsTolerance, double updateTolerance)
    {
        EmulatorParity.RequireEmulator();
        var b = new GraphBuilder(DType.F32);
        var x = b.Input("image", DType.F32, 4, 3, 8, 8);
        var labels = b.Input("label", DType.I32, 4);
        var h = b.Tanh(b.Conv2d(x, 8, kernel: 3, padding: 1, name: "c1"));
        h = b.Tanh(b.Conv2d(h, 8, kernel: 3, stride: 2, padding: 1, groups: 2, name: "c2"));
        h = b.Tanh(b.Conv2d(h, 16, kernel: 3, padding: 1, name: "c3"));
        var logits = b.Linear(b.Flatten(b.GlobalAvgPool(h)), 10);
        var loss = b.SoftmaxCrossEntropy(logits, labels);
        var training = Autodiff.Train(loss, new Sgd(0.9, 5e-4, Nesterov: true), Schedule.Constant(0.1), logits);
        var feeds = ModelStepEmulationTests.Feeds(DType.F32, 4, 3, 8);
        var cpu = CpuStep(training, feeds);
        var f32 = Errors(cpu, EmulatedStep(training, feeds, ComputePrecision.F32));
        var half = Errors(cpu, EmulatedStep(training, feeds, precision));
        TestContext.Current.SendDiagnosticMessage($"{precision}: loss {half.Loss:E2}, logits {half.Logits:E2}, worst update {half.Update:E2} ({half.Worst}); f32 plan: {f32.Loss:E2}, {f32.Logits:E2}, {f32.Update:E2}");
        Assert.True(half.Loss <= lossTolerance && half.Logits <= logitsTolerance && half.Update <= updateTolerance);
    }

    private sealed record Step(double Loss, float[] Logits, Dictionary<string, float[]> Initial, Dictionary<string, float[]> Final, long Skipped);

    private sealed record StepErrors(double Loss, double Logits, double Update, string Worst);

    private static Step CpuStep(Program program, Dictionary<string, Array> feeds)
    {
        using var cpu = CpuBackend.Instance.CompileCpu(program, new CompileOptions(7, Threads: 1));
        return Run(cpu, program, feeds, () => 0);
    }

    /// <summary>
    /// Emulates one applied step: an FP16 step that overflows is skipped by the loss scaler (its updates not applied), so
    /// the same batch is run again at half the scale until one applies; the program draws no random numbers, so the
    /// applied step computes what a first step would.
    /// </summary>
    private static Step EmulatedStep(Program program, Dictionary<string, Array> feeds, ComputePrecision precision, DynamicLossScale? scale = null)
    {
        var plan = CudaPlanner.Plan(program, new CudaPlanOptions(precision));
        EmulatorParity.CompileForGpu(plan);
        using var emu = new PlanEmulator(plan, 7);
        if (scale is not null) emu.LossScale = scale;
        return Run(emu, program, feeds, () => emu.LossScale?.SkippedSteps ?? 0);
    }

    private static Step Run(IExecutable target, Program program, Dictionary<string, Array> feeds, Func<long> skipped)
    {
        foreach (var (name, values) in feeds)
        {
            if (values is float[] f) target.SetInput<float>(name, f);
            else target.SetInput<int>(name, (int[])values);
        }
        var initial = program.Variables.ToDictionary(v => v.Name!, v => target.ReadVariable<float>(v.Name!));
        for (var attempt = 0; attempt < 25; attempt++)
        {
            var before = skipped();
            target.Run();
            if (skipped() == before) break;
        }
        var final = program.Variables.ToDictionary(v => v.Name!, v => target.ReadVariable<float>(v.Name!));
        return new Step(target.Read<float>(program.Fetches[0])[0], target.Read<float>(program.Fetches[1]), initial, final, skipped());
    }

    private static StepErrors Errors(Step cpu, Step emulated)
    {
        var worst = cpu.Final.Keys
            .Select(name =>
            {
                var expected = cpu.Final[name].Zip(cpu.Initial[name], (a, b) => a - b).ToArray();
                var actual = emulated.Final[name].Zip(emulated.Initial[name], (a, b) => a - b).ToArray();
                return (Name: name, Error: RelativeL2(expected, actual));
            })
            .ToList();
        foreach (var e in worst.OrderBy(e => e.Error)) TestContext.Current.SendDiagnosticMessage($"  {e.Name}: {e.Error:E2} norm {Math.Sqrt(cpu.Final[e.Name].Zip(cpu.Initial[e.Name], (a, b) => (double)(a - b) * (a - b)).Sum()):E2}");
        var ge = RelativeL2(cpu.Final.Keys.SelectMany(n => cpu.Final[n].Zip(cpu.Initial[n], (a, b) => a - b)).ToArray(), cpu.Final.Keys.SelectMany(n => emulated.Final[n].Zip(emulated.Initial[n], (a, b) => a - b)).ToArray());
        TestContext.Current.SendDiagnosticMessage($"  global {ge:E2}");
        var w0 = worst.MaxBy(e => e.Error);
        var worstx = (w0.Name, w0.Error);
        return new StepErrors(Math.Abs(emulated.Loss - cpu.Loss) / Math.Abs(cpu.Loss), RelativeL2(cpu.Logits, emulated.Logits), worstx.Error, worstx.Name);
    }

    /// <summary>‖actual − expected‖ / ‖expected‖ (0 when both are zero).</summary>
    private static double RelativeL2(float[] expected, float[] actual)
    {
        double diff = 0, norm = 0;
        for (var i = 0; i < expected.Length; i++)
        {
            diff += Math.Pow((double)actual[i] - expected[i], 2);
            norm += Math.Pow(expected[i], 2);
        }
        return norm == 0 ? (diff == 0 ? 0 : double.PositiveInfinity) : Math.Sqrt(diff / norm);
    }

    private static DType MixedPrecision(ComputePrecision p) => p == ComputePrecision.BF16 ? DType.BF16 : DType.F16;
}
