using StaticGraph.Cuda.Lowering;
using StaticGraph.Ops;
using StaticGraph.Regularizers;
using StaticGraph.Tests.Cuda.Emulation;
using Xunit;

namespace StaticGraph.Tests.Cuda;

/// <summary>
/// Random ops lowered to kernels that read the seed and the step from the control block: the draws are the CPU's bit for
/// bit (tolerance 0) where the recipe uses correctly rounded arithmetic only, and within an ulp or so of double where it
/// calls log, cos or exp (Normal, Beta). Every test runs a training-mode program three times from a nonzero step, so
/// that the step the kernels read has moved on from the one the plan was made at.
/// </summary>
public class RandomLoweringTests
{
    private const int Runs = 3;
    private const long StartStep = 11;

    private static readonly Dictionary<string, Array> NoFeeds = [];

    /// <summary>A training-mode program (the step advances each run) fetching <paramref name="fetches"/>.</summary>
    private static GraphProgram Training(params Node[] fetches) => GraphProgram.Create(ProgramMode.Training, fetches, [], null, null);

    /// <summary>Bitwise parity after <see cref="Runs"/> steps from <see cref="StartStep"/>, under two seeds.</summary>
    private static void AssertBitwise(GraphProgram program, Dictionary<string, Array>? feeds = null)
    {
        foreach (var seed in new ulong[] { 7, 0x9E3779B97F4A7C15 })
            EmulatorParity.AssertMatchesCpu(program, feeds ?? NoFeeds, seed, Runs, f32Tolerance: 0, f64Tolerance: 0, startStep: StartStep);
    }

    /// <summary>The emulated value of the program's first fetch after one run at <paramref name="step"/> under <paramref name="seed"/>.</summary>
    private static double[] Emulate(GraphProgram program, ulong seed, long step, Dictionary<string, Array>? feeds = null)
    {
        EmulatorParity.RequireEmulator();
        using var emu = new PlanEmulator(CudaPlanner.Plan(program), seed) { Step = step };
        foreach (var (name, values) in feeds ?? NoFeeds)
        {
            switch (values)
            {
                case float[] f: emu.SetInput<float>(name, f); break;
                case double[] d: emu.SetInput<double>(name, d); break;
            }
        }
        emu.Run();
        var y = program.Fetches[0];
        return y.DType switch
        {
            DType.F32 => [.. emu.Read<float>(y).Select(v => (double)v)],
            DType.F64 => emu.Read<double>(y),
            _ => [.. emu.Read<int>(y).Select(v => (double)v)],
        };
    }

    /// <summary>Another seed and another step each change the draws (the kernels read both at run time).</summary>
    private static void AssertSeedAndStepMatter(GraphProgram program, Dictionary<string, Array>? feeds = null)
    {
        var reference = Emulate(program, 7, StartStep, feeds);
        Assert.Equal(reference, Emulate(program, 7, StartStep, feeds));
        Assert.NotEqual(reference, Emulate(program, 8, StartStep, feeds));
        Assert.NotEqual(reference, Emulate(program, 7, StartStep + 1, feeds));
    }

    [Theory]
    [InlineData(DType.F32)]
    [InlineData(DType.F64)]
    public void Uniform_draws_are_the_CPUs_bit_for_bit(DType dtype)
    {
        var b = new GraphBuilder(dtype);
        // 7 x 41 = 287 elements: more than one block of 256 threads.
        var unit = b.Uniform("unit", [7, 41]);
        var signed = b.Uniform("signed", [5, 3], -1, 1);
        var wide = b.Uniform("wide", [33], -3.25, 1e6);
        var program = Training(unit, signed, wide);
        AssertBitwise(program);
        AssertSeedAndStepMatter(program);
    }

    [Theory]
    [InlineData(DType.F32)]
    [InlineData(DType.F64)]
    public void Bernoulli_draws_are_the_CPUs_bit_for_bit_including_p_0_and_1(DType dtype)
    {
        var b = new GraphBuilder(dtype);
        var half = b.Bernoulli("half", [300], 0.5);
        // p = 0.1 is not an f32: compared in double, as on the CPU.
        var rare = b.Bernoulli("rare", [9, 9], 0.1);
        var never = b.Bernoulli("never", [17], 0);
        var always = b.Bernoulli("always", [17], 1);
        var program = Training(half, rare, never, always);
        AssertBitwise(program);
        AssertSeedAndStepMatter(program);
    }

    [Fact]
    public void A_Bernoulli_mask_equals_a_uniform_below_p_from_the_same_stream()
    {
        var b = new GraphBuilder(DType.F32);
        var mask = b.Bernoulli("x", [200], 0.3);
        var program = Training(mask);
        var u = new GraphBuilder(DType.F32).Uniform("x", [200]);
        var expected = Emulate(Training(u), 5, StartStep).Select(v => v < 0.3 ? 1.0 : 0.0);
        Assert.Equal(expected, Emulate(program, 5, StartStep));
    }

    // Normal calls log and cos: the CPU's and CUDA's may differ in the last bit, so the tolerance is tight but not 0.
    [Theory]
    [InlineData(DType.F32, 1e-6)]
    [InlineData(DType.F64, 1e-12)]
    public void Normal_draws_match_the_CPU_to_an_ulp(DType dtype, double tolerance)
    {
        var b = new GraphBuilder(dtype);
        var standard = b.Normal("standard", [6, 50]);
        var shifted = b.Normal("shifted", [31], mean: -2.5, std: 0.01);
        var degenerate = b.Normal("degenerate", [5], mean: 3, std: 0);
        var program = Training(standard, shifted, degenerate);
        foreach (var seed in new ulong[] { 7, 123456789 })
            EmulatorParity.AssertMatchesCpu(program, NoFeeds, seed, Runs, tolerance, tolerance, StartStep);
        AssertSeedAndStepMatter(program);
    }

    // Beta calls log, cos and exp; shapes below 1 take the boosted path (U^(1/a)), tiny ones underflow X and Y.
    [Theory]
    [InlineData(DType.F32, 1e-6)]
    [InlineData(DType.F64, 1e-12)]
    public void Beta_draws_match_the_CPU_to_an_ulp_for_shapes_above_and_below_one(DType dtype, double tolerance)
    {
        var b = new GraphBuilder(dtype);
        var mixup = b.Beta("mixup", [64], 0.2, 0.2);
        var skewed = b.Beta("skewed", [40], 2.5, 0.7);
        var large = b.Beta("large", [40], 1, 30);
        var tiny = b.Beta("tiny", [20], 0.01, 0.02);
        var program = Training(mixup, skewed, large, tiny);
        foreach (var seed in new ulong[] { 7, 123456789 })
            EmulatorParity.AssertMatchesCpu(program, NoFeeds, seed, Runs, tolerance, tolerance, StartStep);
        AssertSeedAndStepMatter(program);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(37)]
    [InlineData(300)]
    public void Permutations_are_the_CPUs_Fisher_Yates_shuffle(int n)
    {
        var b = new GraphBuilder(DType.F32);
        var program = Training(b.Permutation("perm", n));
        AssertBitwise(program);
        var perm = Emulate(program, 7, StartStep);
        Assert.Equal(Enumerable.Range(0, n).Select(i => (double)i), perm.Order());
        if (n >= 37) AssertSeedAndStepMatter(program);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Cutout_boxes_are_the_CPUs_bit_for_bit(bool inside)
    {
        var b = new GraphBuilder(DType.F32);
        var square = b.CutoutBoxes("square", 40, 13, 17, 6, inside);
        var whole = b.CutoutBoxes("whole", 9, 5, 7, 5, inside);
        // Odd sides and a side larger than the image (clipped to it) when centred anywhere.
        var odd = inside ? b.CutoutBoxes("odd", 300, 32, 32, 1, true) : b.CutoutBoxes("odd", 300, 4, 9, 2_000_000_000);
        var program = Training(square, whole, odd);
        AssertBitwise(program);
        AssertSeedAndStepMatter(program);
    }

    [Theory]
    [InlineData(DType.F32)]
    [InlineData(DType.F64)]
    public void CutMix_boxes_are_the_CPUs_bit_for_bit_with_lam_clamped_and_NaN_empty(DType dtype)
    {
        var b = new GraphBuilder(dtype);
        var lam = b.Input("lam", dtype, 12);
        var program = Training(b.CutMixBoxes("boxes", lam, 15, 22));
        double[] values = [0.5, 0, 1, -0.5, 2, double.NaN, 0.999, 0.01, 0.3, 0.75, 0.25, 0.1];
        var feeds = new Dictionary<string, Array> { ["lam"] = dtype == DType.F32 ? values.Select(v => (float)v).ToArray() : values };
        AssertBitwise(program, feeds);
        AssertSeedAndStepMatter(program, feeds);
    }

    [Fact]
    public void Random_erasing_rectangles_are_the_CPUs_bit_for_bit()
    {
        var b = new GraphBuilder(DType.F32);
        var standard = b.ErasingBoxes("standard", 64, 32, 32);
        var always = b.ErasingBoxes("always", 20, 7, 11, probability: 1, areaMin: 0.1, areaMax: 0.9, minAspect: 0.2, maxAttempts: 3);
        var never = b.ErasingBoxes("never", 5, 8, 8, probability: 0);
        // A 2 x 2 image never fits a rectangle (1 <= h < 2 needs h = 1, area 1/4 at most): every attempt rejected.
        var hopeless = b.ErasingBoxes("hopeless", 6, 2, 2, probability: 1, areaMin: 0.9, areaMax: 1, maxAttempts: 4);
        var program = Training(standard, always, never, hopeless);
        AssertBitwise(program);
        AssertSeedAndStepMatter(program);
    }

    [Theory]
    [InlineData(DType.F32, 0.3, 0.6)]
    [InlineData(DType.F64, 0.3, 0.6)]
    [InlineData(DType.F64, 0.5, 0.25)]
    [InlineData(DType.F32, 0, 1)]
    [InlineData(DType.F64, -1, double.NaN)]
    public void Ricap_layouts_are_the_CPUs_bit_for_bit(DType dtype, double rw, double rh)
    {
        var b = new GraphBuilder(dtype);
        var boundary = b.Input("boundary", dtype, 2);
        // 10 x 9: 0.5 * 9 = 4.5 rounds half to even (to 4).
        var program = Training(b.RicapLayout("ricap", boundary, 10, 9));
        var feeds = new Dictionary<string, Array>
        {
            ["boundary"] = dtype == DType.F32 ? new[] { (float)rw, (float)rh } : new[] { rw, rh },
        };
        AssertBitwise(program, feeds);
        AssertSeedAndStepMatter(program, feeds);
    }

    [Theory]
    [InlineData(DType.F32)]
    [InlineData(DType.F64)]
    public void Dropout_in_training_matches_the_CPU_bit_for_bit(DType dtype)
    {
        var b = new GraphBuilder(dtype);
        var x = b.Input("x", dtype, 4, 3, 5, 5);
        var program = Training(Dropout.Apply(b, x, 0.3));
        var feeds = ElementwiseLoweringTests.Feeds(dtype, ("x", 300));
        AssertBitwise(program, feeds);
        AssertSeedAndStepMatter(program, feeds);
    }

    [Fact]
    public void Every_random_kernel_reads_the_seed_and_step_from_the_control_block()
    {
        var b = new GraphBuilder(DType.F64);
        var lam = b.Input("lam", DType.F64, 4);
        var boundary = b.Input("boundary", DType.F64, 2);
        var program = Training(
            b.Uniform("u", [4]), b.Normal("n", [4]), b.Bernoulli("b", [4], 0.5), b.Beta("beta", [4], 1, 1), b.Permutation("p", 4),
            b.CutoutBoxes("c", 4, 8, 8, 3), b.CutMixBoxes("m", lam, 8, 8), b.ErasingBoxes("e", 4, 8, 8), b.RicapLayout("r", boundary, 8, 8));
        var plan = CudaPlanner.Plan(program);
        var launches = plan.Commands.OfType<LaunchCommand>().Where(l => l.Node?.Op is RandomOp).ToList();
        Assert.Equal(9, launches.Count);
        foreach (var l in launches)
        {
            Assert.Contains("control[0]", l.Kernel.Source);
            Assert.Contains("control[1]", l.Kernel.Source);
            Assert.Equal(((RandomOp)l.Node!.Op).Stream, (uint)l.Args[3].Integer);
        }
    }
}
