using StaticGraph.Ops;
using StaticGraph.Regularizers;
using Xunit;

namespace StaticGraph.Tests.Regularizers;

/// <summary>
/// The random-number contract for every regularizer: a draw is a pure function of (seed, node
/// name, step), whatever the thread count or the order independent nodes were built in.
/// </summary>
public class DeterminismTests
{
    // Large enough that elementwise draws and masks span several parallel tasks (2^15 elements each).
    private const int N = 16, C = 8, H = 24, W = 24, K = 10;

    public static TheoryData<string> Kinds => new(["shake-shake", "shake-batch", "shakedrop", "stochastic-depth", "dropout", "drop-activation",
        "cutout", "random-erasing", "mixup", "cutmix", "ricap", "dual-cutout"]);

    /// <summary>Builds regularizer <paramref name="kind"/> named <paramref name="name"/> on fixed data; returns the nodes whose bits are compared.</summary>
    private static Node[] Build(GraphBuilder b, string kind, string name = "reg")
    {
        var x = b.Constant(Runs.Normal(1, N * C * H * W), DType.F32, N, C, H, W);
        var x2 = b.Constant(Runs.Normal(2, N * C * H * W), DType.F32, N, C, H, W);
        var batch = new TrainingBatch(x, b.Constant(Enumerable.Range(0, N).Select(i => (double)(i % K)).ToArray(), DType.I32, N));
        TrainingBatch Batch(IBatchRegularizer r) => r.Apply(b, batch, K);
        return kind switch
        {
            "shake-shake" => [ShakeShake.Combine(b, x, x2, new ShakeOptions(), name)],
            "shake-batch" => [ShakeShake.Combine(b, x, x2, new ShakeOptions(ShakeMode.Shake, ShakeMode.Keep, ShakeLevel.Batch), name)],
            "shakedrop" => [ShakeDrop.Apply(b, x, 0.5, name)],
            "stochastic-depth" => [StochasticDepth.Apply(b, x, 0.5, name)],
            "dropout" => [Dropout.Apply(b, x, 0.3, name)],
            "drop-activation" => [DropActivation.Apply(b, x, 0.3, name)],
            "cutout" => [Batch(new Cutout(8, name: name)).Images],
            "random-erasing" => [Batch(new RandomErasing(name: name)).Images],
            "mixup" => Batch(new Mixup(name: name)) is var m ? [m.Images, m.Targets] : [],
            "cutmix" => Batch(new CutMix(name: name)) is var c ? [c.Images, c.Targets] : [],
            "ricap" => Batch(new Ricap(name: name)) is var r ? [r.Images, r.Targets] : [],
            "dual-cutout" => [new DualCutoutObjective(size: 8, name: name).Build(b, v => b.Reshape(b.Mean(v, [1, 2]), v.Shape[0], W).Let(l => b.Slice(l, 1, 0, K)), x, batch.Targets, K).Loss],
            _ => throw new ArgumentException(kind),
        };
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void The_same_seed_and_step_give_bitwise_equal_results_in_a_fresh_graph(string kind)
    {
        var first = Runs.Bits(ProgramMode.Training, Build(new GraphBuilder(DType.F32), kind), step: 9);
        var second = Runs.Bits(ProgramMode.Training, Build(new GraphBuilder(DType.F32), kind), step: 9);
        Assert.Equal(first, second);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Another_step_or_seed_gives_other_draws(string kind)
    {
        var fetches = Build(new GraphBuilder(DType.F32), kind);
        var reference = Runs.Bits(ProgramMode.Training, fetches, step: 9);
        Assert.NotEqual(reference, Runs.Bits(ProgramMode.Training, fetches, step: 10));
        Assert.NotEqual(reference, Runs.Bits(ProgramMode.Training, fetches, step: 9, seed: 8));
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void One_and_two_threads_give_the_same_bits(string kind)
    {
        var fetches = Build(new GraphBuilder(DType.F32), kind);
        Assert.Equal(Runs.Bits(ProgramMode.Training, fetches, threads: 1), Runs.Bits(ProgramMode.Training, fetches, threads: 2));
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Build_order_does_not_matter_names_do(string kind)
    {
        var early = new GraphBuilder(DType.F32);
        var target = Build(early, kind, "first");
        Build(early, kind, "second");
        var late = new GraphBuilder(DType.F32);
        var other = Build(late, kind, "second");
        var same = Build(late, kind, "first");
        Assert.Equal(Runs.Bits(ProgramMode.Training, target), Runs.Bits(ProgramMode.Training, same));
        Assert.NotEqual(Runs.Bits(ProgramMode.Training, same), Runs.Bits(ProgramMode.Training, other));
    }

    [Fact]
    public void Every_random_node_of_a_deep_model_has_its_own_stream_and_draws()
    {
        var b = new GraphBuilder(DType.F64);
        var x = b.Constant(Runs.Normal(3, 4 * 3 * 2 * 2), DType.F64, 4, 3, 2, 2);
        var outputs = new List<Node>();
        for (var stage = 0; stage < 3; stage++)
        {
            using var _ = b.Scope($"stage{stage}");
            for (var block = 0; block < 20; block++)
            {
                using var __ = b.FreshScope("block");
                outputs.Add(ShakeShake.Combine(b, x, b.Neg(x), new ShakeOptions()));
                outputs.Add(ShakeDrop.Apply(b, x, ShakeDrop.LinearSurvival(block, 20)));
                outputs.Add(StochasticDepth.Apply(b, x, 0.5));
            }
        }
        var draws = b.Nodes.Where(n => n.Op is RandomOp).ToArray();
        Assert.Equal(3 * 20 * 6, draws.Length);
        Assert.Equal(draws.Length, draws.Select(n => ((RandomOp)n.Op).Stream).Distinct().Count());
        Assert.Equal(draws.Length, draws.Select(n => n.Name).Distinct().Count());
        // Uniform draws of distinct nodes, and of one node at distinct steps, are distinct vectors.
        var uniforms = draws.Where(n => n.Op is UniformOp).ToArray();
        var seen = new HashSet<string>();
        foreach (var step in new long[] { 0, 1, 2 })
            foreach (var v in Runs.Values(ProgramMode.Training, uniforms, step: step))
                Assert.True(seen.Add(string.Join(",", v.Select(d => BitConverter.DoubleToInt64Bits(d)))), "two draws collided");
    }
}

internal static class Pipe
{
    /// <summary>Applies <paramref name="f"/> to <paramref name="x"/>, for builds written as one expression.</summary>
    public static TOut Let<TIn, TOut>(this TIn x, Func<TIn, TOut> f) => f(x);
}
