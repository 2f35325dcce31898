using StaticGraph.Cuda.Lowering;
using StaticGraph.Ops;
using StaticGraph.Regularizers;
using StaticGraph.Tests.Cuda.Emulation;
using Xunit;

namespace StaticGraph.Tests.Cuda;

/// <summary>
/// Random ops lowered to kernels that read the seed and the step from the control block. That every random op's draws
/// are the CPU's (bit for bit, or within an ulp of double through log, cos or exp) at several steps and seeds is the
/// conformance kit's (its random op cases); here: Bernoulli is uniform below p, dropout's composition is bitwise, the
/// seed and step change the draws, and every random kernel reads them at run time. Tests run a training-mode program
/// three times from a nonzero step, so that the step the kernels read has moved on from the one the plan was made at.
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
