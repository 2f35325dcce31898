using StaticGraph.Backend;
using StaticGraph.Backend.Cpu;
using StaticGraph.Conformance;
using StaticGraph.Conformance.Steps;
using StaticGraph.Cuda.Backend;
using StaticGraph.Cuda.Kernels;
using StaticGraph.Cuda.Lowering;
using StaticGraph.Cuda.Native;
using StaticGraph.Models;
using StaticGraph.Ops;
using StaticGraph.Regularizers;
using StaticGraph.Tests.Cuda.Emulation;
using Xunit;

namespace StaticGraph.Tests.Cuda;

/// <summary>
/// BF16 and FP16 mixed precision: the plans (16-bit convolutions and GEMMs between f32 conversions, f64 untouched), whole
/// emulated training steps against the CPU's f32 step within the 16-bit formats' tolerances (the rows of the kit's table,
/// <see cref="Tolerances"/>, whose values these tests measured), and FP16's dynamic loss scaling (an overflowing step is
/// skipped and the scale halved, as on the device).
/// </summary>
public class MixedPrecisionTests
{
    [Theory]
    [InlineData(ComputePrecision.BF16)]
    [InlineData(ComputePrecision.F16)]
    public void Every_convolution_and_GEMM_of_an_f32_program_runs_on_16_bit_tensors(ComputePrecision precision)
    {
        var training = Resnet(batch: 2, size: 8).Build(DType.F32);
        var inference = StepProgram.InferenceOf(training)!;
        var half = SixteenBitType(precision);
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
        var training = Resnet(batch: 2, size: 8).Build(DType.F64);
        var plain = CudaPlanner.Plan(training);
        var mixed = CudaPlanner.Plan(training, new CudaPlanOptions(precision));
        Assert.Equal(plain.Commands.Count, mixed.Commands.Count);
        Assert.All(mixed.Commands.OfType<ConvolutionCommand>(), c => Assert.Equal(DType.F64, c.DType));
        Assert.All(mixed.Commands.OfType<GemmCommand>(), g => Assert.Equal(DType.F64, g.OperandDType));
        Assert.Equal(plain.Kernels.Select(k => k.Name), mixed.Kernels.Select(k => k.Name));
        Assert.False(mixed.UsesLossScale);
    }

    /// <summary>The unit roundoff of bfloat16 (8 significant bits).</summary>
    private const double Bf16Roundoff = Tolerances.Bf16Roundoff;

    /// <summary>The unit roundoff of IEEE half (11 significant bits).</summary>
    private const double F16Roundoff = Tolerances.F16Roundoff;

    /// <summary>resnet-preact-20's training program (10 classes, Nesterov SGD) at a batch and image size.</summary>
    private static StepProgram Resnet(int batch, int size) =>
        StepPrograms.Model("resnet-preact-20", "resnet-preact-20", RegularizerSettings.None, batch, size);

    /// <summary>A step program's inputs as this class feeds them: images as f32, labels as i32.</summary>
    private static Dictionary<string, Array> Feeds(StepProgram program) => program.Feeds().ToDictionary(f => f.Key,
        f => f.Key == "label" ? (Array)f.Value.Select(v => (int)v).ToArray() : f.Value.Select(v => (float)v).ToArray());

    /// <summary>The kit's tolerance row of <paramref name="precision"/>.</summary>
    private static Tolerance Row(ComputePrecision precision) => precision == ComputePrecision.BF16 ? Tolerances.Bf16 : Tolerances.Fp16;

    /// <summary>
    /// A smooth network (three convolutions, one strided and grouped, tanh, a linear classifier): without ReLU masks to
    /// flip, a 16-bit step's errors are a few unit roundoffs u of the 16-bit format, which proves the conversions, the
    /// 16-bit commands and FP16's scaling are right. Measured: BF16 logits 1.3u, updates 1.6u (worst tensor); FP16 logits
    /// 1.7u, updates 1.9u; the loss within 0.01u. Tolerances: 4u (logits, every tensor's update) and u (loss).
    /// </summary>
    [Theory]
    [InlineData(ComputePrecision.BF16)]
    [InlineData(ComputePrecision.F16)]
    public void A_smooth_network_step_in_16_bits_is_within_a_few_16_bit_roundoffs_of_the_f32_CPU_step(ComputePrecision precision)
    {
        EmulatorParity.RequireEmulator();
        var u = precision == ComputePrecision.BF16 ? Bf16Roundoff : F16Roundoff;
        var b = new GraphBuilder(DType.F32);
        var x = b.Input("image", DType.F32, 4, 3, 8, 8);
        var labels = b.Input("label", DType.I32, 4);
        var h = b.Tanh(b.Conv2d(x, 8, kernel: 3, padding: 1, name: "c1"));
        h = b.Tanh(b.Conv2d(h, 8, kernel: 3, stride: 2, padding: 1, groups: 2, name: "c2"));
        h = b.Tanh(b.Conv2d(h, 16, kernel: 3, padding: 1, name: "c3"));
        var logits = b.Linear(b.Flatten(b.GlobalAvgPool(h)), 10);
        var loss = b.SoftmaxCrossEntropy(logits, labels);
        var training = Autodiff.Train(loss, new Sgd(0.9, 5e-4, Nesterov: true), Schedule.Constant(0.1), logits);
        var (f32, half) = CompareWithCpu(training, Feeds(Resnet(batch: 4, size: 8)), precision);

        Assert.True(half.Loss <= u && half.Logits <= 4 * u && half.WorstUpdate <= 4 * u, $"{precision}: {half} (u = {u:E2})");
        Assert.True(f32.Logits * 100 < half.Logits && f32.WorstUpdate * 100 < half.WorstUpdate, $"f32 plan: {f32}");
    }

    /// <summary>
    /// One training step of resnet-preact-20 (batch 4, 12×12) in 16 bits against the CPU's f32 step. The loss is compared
    /// relatively, the logits and the updates (new minus initial value of every variable: parameters, momenta, BN
    /// statistics) by relative L2 error, the updates over all variables together. The forward pass keeps to a few u, but
    /// the gradient does not: a 16-bit error flips the ReLU masks of pre-activations within it of zero, and each flip
    /// changes a gradient element by a whole value, so the gradient's error grows like the square root of u (measured:
    /// BF16 0.24, FP16 0.11, a ratio of 2.2 where u's is 8; the smooth network above shows u-sized errors). That is the
    /// nature of a 16-bit step, not a loss of accuracy in training; the direction of the step agrees (cosine 0.97 for
    /// BF16). Measured: BF16 loss 3.7e-4, logits 1.5e-2 (3.8u), updates 0.24; FP16 loss 2e-6, logits 2.3e-3 (4.6u),
    /// updates 0.11. Tolerances: the kit's table rows (<see cref="Tolerances"/>): loss 2u, logits 10u, updates 0.75 (BF16,
    /// which measured 0.40 in the kit's batch-2 step) and 0.25 (FP16). The f32 plan run the same way is within 2e-6
    /// everywhere, so the 16-bit path is what made the difference.
    /// </summary>
    [Theory]
    [InlineData(ComputePrecision.BF16)]
    [InlineData(ComputePrecision.F16)]
    public void A_resnet_training_step_in_16_bits_is_within_tolerance_of_the_f32_CPU_step(ComputePrecision precision)
    {
        EmulatorParity.RequireEmulator();
        var row = Row(precision);
        var program = Resnet(batch: 4, size: 12);
        var (f32, half) = CompareWithCpu(program.Build(DType.F32), Feeds(program), precision);

        Assert.True(half.Loss <= row.Loss && half.Logits <= row.Logits && half.Update <= row.Updates, $"{precision}: {half} (tolerances: {row})");
        Assert.True(f32.Loss <= 1e-5 && f32.Logits <= 1e-5 && f32.Update <= 1e-4, $"f32 plan: {f32}");
        Assert.True(f32.Logits * 100 < half.Logits && f32.Update * 100 < half.Update, $"f32 plan: {f32}");
    }

    /// <summary>
    /// A gradient of 100 per element overflows half at the initial scale 2^15 (3.3e6 &gt; 65504): the conversion raises the
    /// overflow flag, the emulator (like CudaExecutable) skips the updates even with the non-finite guard on, halves the
    /// scale and still advances the step. Six halvings later (S = 512, 100·S = 51200) the step applies and matches the
    /// CPU's single step within half's rounding of the operands.
    /// </summary>
    [Fact]
    public void An_FP16_step_whose_gradient_overflows_is_skipped_and_halves_the_loss_scale()
    {
        EmulatorParity.RequireEmulator();
        var b = new GraphBuilder(DType.F32);
        var x = b.Input("x", DType.F32, 4, 8);
        var w = b.Parameter("w", Initializer.Uniform(0.5), [8, 3]);
        var loss = b.Scale(b.SumAll(b.MatMul(x, w)), 100);
        var training = Autodiff.Train(loss, new Sgd(0.9, 0, Nesterov: false), Schedule.Constant(0.01));
        var feeds = ElementwiseLoweringTests.Feeds(DType.F32, ("x", 32));

        var plan = CudaPlanner.Plan(training, new CudaPlanOptions(ComputePrecision.F16));
        Assert.True(plan.UsesLossScale);
        EmulatorParity.CompileForGpu(plan);
        using var emu = new PlanEmulator(plan, 7) { GuardUpdates = true };
        emu.SetInput<float>("x", (float[])feeds["x"]);
        var scaler = Assert.IsType<DynamicLossScale>(emu.LossScale);
        var initial = emu.ReadVariable<float>("w");
        Assert.Equal(DynamicLossScale.DefaultInitialScale, scaler.Scale);

        emu.Run();
        Assert.Equal(initial, emu.ReadVariable<float>("w"));
        Assert.Equal((16384f, 1L, 1L), (scaler.Scale, scaler.SkippedSteps, emu.Step));

        while (scaler.Scale * 100 > 65504) emu.Run();
        Assert.Equal(initial, emu.ReadVariable<float>("w"));
        emu.Run();
        Assert.Equal((512f, 6L, 7L, 1), (scaler.Scale, scaler.SkippedSteps, emu.Step, scaler.GoodSteps));
        Assert.NotEqual(initial, emu.ReadVariable<float>("w"));

        using var cpu = CpuBackend.Instance.CompileCpu(training, new CompileOptions(7, Threads: 1));
        cpu.SetInput<float>("x", (float[])feeds["x"]);
        cpu.Run();
        EmulatorParity.Compare("w after the applied step", DType.F32, [.. cpu.ReadVariable<float>("w").Select(v => (double)v)],
            [.. emu.ReadVariable<float>("w").Select(v => (double)v)], 4 * F16Roundoff, 0);
    }

    /// <summary>
    /// What the scale is for: with the loss multiplied by 1e-5 the smooth network's gradients fall below half's smallest
    /// subnormal (6e-8) and flush to zero at S = 1, while the default S = 2^15 keeps them within a few u of the CPU's.
    /// </summary>
    [Fact]
    public void Loss_scaling_keeps_tiny_FP16_gradients_from_flushing_to_zero()
    {
        EmulatorParity.RequireEmulator();
        var b = new GraphBuilder(DType.F32);
        var x = b.Input("image", DType.F32, 4, 3, 8, 8);
        var labels = b.Input("label", DType.I32, 4);
        var h = b.Tanh(b.Conv2d(x, 8, kernel: 3, padding: 1, name: "c1"));
        h = b.Tanh(b.Conv2d(h, 8, kernel: 3, padding: 1, name: "c2"));
        var logits = b.Linear(b.Flatten(b.GlobalAvgPool(h)), 10);
        var loss = b.Scale(b.SoftmaxCrossEntropy(logits, labels), 1e-5);
        var training = Autodiff.Train(loss, new Sgd(0, 0, Nesterov: false), Schedule.Constant(1e4), logits);
        var feeds = Feeds(Resnet(batch: 4, size: 8));
        var cpu = CpuStep(training, feeds);
        var scaled = Errors(cpu, EmulatedStep(training, feeds, ComputePrecision.F16));
        var unscaled = Errors(cpu, EmulatedStep(training, feeds, ComputePrecision.F16, new DynamicLossScale(initialScale: 1)));
        TestContext.Current.SendDiagnosticMessage($"S = 2^15: {scaled}; S = 1: {unscaled}");
        Assert.True(scaled.WorstUpdate <= 4 * F16Roundoff && scaled.Skipped == 0, $"S = 2^15: {scaled}");
        Assert.True(unscaled.WorstUpdate > 0.1, $"S = 1: {unscaled}");
    }

    [Fact]
    public void The_loss_scale_halves_on_overflow_doubles_after_its_interval_and_stays_within_its_bounds()
    {
        var scale = new DynamicLossScale(initialScale: 4, growthInterval: 3);
        Assert.True(scale.Update(false) && scale.Update(false));
        Assert.Equal((4f, 2), (scale.Scale, scale.GoodSteps));
        Assert.True(scale.Update(false));
        Assert.Equal((8f, 0), (scale.Scale, scale.GoodSteps));
        Assert.False(scale.Update(true));
        Assert.Equal((4f, 0, 1L), (scale.Scale, scale.GoodSteps, scale.SkippedSteps));
        for (var i = 0; i < 5; i++) Assert.False(scale.Update(true));
        Assert.Equal(DynamicLossScale.MinScale, scale.Scale);

        var top = new DynamicLossScale(initialScale: DynamicLossScale.MaxScale, growthInterval: 1);
        Assert.True(top.Update(false));
        Assert.Equal(DynamicLossScale.MaxScale, top.Scale);
        Assert.Equal(32768f, new DynamicLossScale().Scale);
        Assert.Equal(2000, new DynamicLossScale().GrowthInterval);
        Assert.Throws<ArgumentOutOfRangeException>(() => new DynamicLossScale(initialScale: 3));
        Assert.Throws<ArgumentOutOfRangeException>(() => new DynamicLossScale(initialScale: 0.5f));
    }

    /// <summary>
    /// On a GPU (skipped without one): resnet-preact-20's step through cuDNN and cuBLAS in 16 bits keeps to the emulated
    /// step's tolerances, so the device's 16-bit descriptors, tensor-core math and <c>cublasGemmEx</c> types compute what
    /// the emulator assumes.
    /// </summary>
    [Theory]
    [InlineData(ComputePrecision.BF16)]
    [InlineData(ComputePrecision.F16)]
    public void On_the_GPU_16_bit_steps_keep_to_the_emulated_tolerances(ComputePrecision precision)
    {
        if (CudaBackend.Unavailable() is { } why) Assert.Skip("no usable GPU: " + why);
        var row = Row(precision);
        var program = Resnet(batch: 4, size: 12);
        var training = program.Build(DType.F32);
        var feeds = Feeds(program);
        var half = Errors(CpuStep(training, feeds), DeviceStep(training, feeds, precision));
        TestContext.Current.SendDiagnosticMessage($"GPU {precision}: {half}");
        Assert.True(half.Loss <= row.Loss && half.Logits <= row.Logits && half.Update <= row.Updates, $"{precision}: {half} (tolerances: {row})");
    }

    [Fact]
    public void On_the_GPU_an_FP16_step_whose_gradient_overflows_is_skipped_and_halves_the_loss_scale()
    {
        if (CudaBackend.Unavailable() is { } why) Assert.Skip("no usable GPU: " + why);
        var b = new GraphBuilder(DType.F32);
        var x = b.Input("x", DType.F32, 4, 8);
        var w = b.Parameter("w", Initializer.Uniform(0.5), [8, 3]);
        var training = Autodiff.Train(b.Scale(b.SumAll(b.MatMul(x, w)), 100), new Sgd(0.9, 0, Nesterov: false), Schedule.Constant(0.01));
        using var gpu = new CudaBackend(new CudaOptions(Precision: ComputePrecision.F16)).CompileCuda(training, new CompileOptions(7));
        gpu.GuardUpdates = true;
        gpu.SetInput<float>("x", (float[])ElementwiseLoweringTests.Feeds(DType.F32, ("x", 32))["x"]);
        var initial = gpu.ReadVariable<float>("w");
        var scaler = Assert.IsType<DynamicLossScale>(gpu.LossScale);
        for (var i = 0; i < 6; i++) gpu.Run();
        Assert.Equal(initial, gpu.ReadVariable<float>("w"));
        gpu.Run();
        Assert.Equal((512f, 6L, 7L), (scaler.Scale, scaler.SkippedSteps, gpu.Step));
        Assert.NotEqual(initial, gpu.ReadVariable<float>("w"));
    }

    private static Step DeviceStep(GraphProgram program, Dictionary<string, Array> feeds, ComputePrecision precision)
    {
        using var gpu = new CudaBackend(new CudaOptions(Precision: precision)).CompileCuda(program, new CompileOptions(7));
        return Run(gpu, program, feeds, () => gpu.LossScale?.SkippedSteps ?? 0);
    }

    private static (StepErrors F32, StepErrors Half) CompareWithCpu(GraphProgram training, Dictionary<string, Array> feeds, ComputePrecision precision)
    {
        var cpu = CpuStep(training, feeds);
        var f32 = Errors(cpu, EmulatedStep(training, feeds, ComputePrecision.F32));
        var half = Errors(cpu, EmulatedStep(training, feeds, precision));
        TestContext.Current.SendDiagnosticMessage($"{precision}: {half}; f32 plan: {f32}");
        return (f32, half);
    }

    private sealed record Step(double Loss, float[] Logits, Dictionary<string, float[]> Initial, Dictionary<string, float[]> Final, long Skipped);

    private sealed record StepErrors(double Loss, double Logits, double Update, double WorstUpdate, string Worst, long Skipped)
    {
        public override string ToString() =>
            $"loss {Loss:E2}, logits {Logits:E2}, updates {Update:E2} (worst {WorstUpdate:E2}: {Worst}), {Skipped} skipped steps";
    }

    private static Step CpuStep(GraphProgram program, Dictionary<string, Array> feeds)
    {
        using var cpu = CpuBackend.Instance.CompileCpu(program, new CompileOptions(7, Threads: 1));
        return Run(cpu, program, feeds, () => 0);
    }

    /// <summary>
    /// Emulates one applied step: an FP16 step that overflows is skipped by the loss scaler (its updates not applied), so
    /// the same batch is run again at half the scale until one applies; the program draws no random numbers, so the
    /// applied step computes what a first step would.
    /// </summary>
    private static Step EmulatedStep(GraphProgram program, Dictionary<string, Array> feeds, ComputePrecision precision, DynamicLossScale? scale = null)
    {
        var plan = CudaPlanner.Plan(program, new CudaPlanOptions(precision));
        EmulatorParity.CompileForGpu(plan);
        using var emu = new PlanEmulator(plan, 7);
        if (scale is not null) emu.LossScale = scale;
        return Run(emu, program, feeds, () => emu.LossScale?.SkippedSteps ?? 0);
    }

    private static Step Run(IExecutable target, GraphProgram program, Dictionary<string, Array> feeds, Func<long> skipped)
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
        float[] Update(Step s, string name) => s.Final[name].Zip(s.Initial[name], (a, b) => a - b).ToArray();
        var names = cpu.Final.Keys.Order(StringComparer.Ordinal).ToList();
        var worst = names.Select(n => (Name: n, Error: RelativeL2(Update(cpu, n), Update(emulated, n)))).MaxBy(e => e.Error);
        var global = RelativeL2(names.SelectMany(n => Update(cpu, n)).ToArray(), names.SelectMany(n => Update(emulated, n)).ToArray());
        return new StepErrors(Math.Abs(emulated.Loss - cpu.Loss) / Math.Abs(cpu.Loss), RelativeL2(cpu.Logits, emulated.Logits), global, worst.Error,
            worst.Name, emulated.Skipped);
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

    private static DType SixteenBitType(ComputePrecision p) => p == ComputePrecision.BF16 ? DType.BF16 : DType.F16;
}
