using StaticGraph.Backend;
using StaticGraph.Backend.Cpu;
using StaticGraph.Ops;
using Xunit;

namespace StaticGraph.Tests.Random;

/// <summary>A random node's value is a pure function of (seed, qualified name, step): the determinism contract.</summary>
public class RandomDeterminismTests
{
    public static TheoryData<string> Kinds => new(RandomDraws.Kinds);

    [Theory]
    [MemberData(nameof(Kinds))]
    public void The_same_seed_and_step_give_bitwise_equal_draws(string kind)
    {
        var first = RandomDraws.Bits(RandomDraws.Build(new GraphBuilder(DType.F64), kind), seed: 7, step: 3);
        var second = RandomDraws.Bits(RandomDraws.Build(new GraphBuilder(DType.F64), kind), seed: 7, step: 3);
        Assert.Equal(first, second);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Another_step_gives_other_draws(string kind)
    {
        var node = RandomDraws.Build(new GraphBuilder(DType.F64), kind);
        Assert.NotEqual(RandomDraws.Bits(node, step: 3), RandomDraws.Bits(node, step: 4));
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Another_seed_gives_other_draws(string kind)
    {
        var node = RandomDraws.Build(new GraphBuilder(DType.F64), kind);
        Assert.NotEqual(RandomDraws.Bits(node, seed: 7), RandomDraws.Bits(node, seed: 8));
        // The seed's high word is part of the key too.
        Assert.NotEqual(RandomDraws.Bits(node, seed: 7), RandomDraws.Bits(node, seed: 7 + (1UL << 32)));
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Draws_do_not_depend_on_the_thread_count(string kind)
    {
        var node = RandomDraws.Build(new GraphBuilder(DType.F64), kind);
        Assert.Equal(RandomDraws.Bits(node, threads: 1), RandomDraws.Bits(node, threads: 2));
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Differently_named_nodes_draw_differently(string kind)
    {
        var b = new GraphBuilder(DType.F64);
        var first = RandomDraws.Build(b, kind, "first");
        var second = RandomDraws.Build(b, kind, "second");
        Assert.NotEqual(((RandomOp)first.Op).Stream, ((RandomOp)second.Op).Stream);
        Assert.NotEqual(RandomDraws.Bits(first), RandomDraws.Bits(second));
    }

    [Fact]
    public void The_same_local_name_in_different_scopes_draws_differently()
    {
        var b = new GraphBuilder(DType.F64);
        Node inBlock1, inBlock2;
        using (b.Scope("block1")) inBlock1 = b.Uniform("shake", [64]);
        using (b.Scope("block2")) inBlock2 = b.Uniform("shake", [64]);
        Assert.Equal("block1.shake", inBlock1.Name);
        Assert.Equal(b.StreamOf("block1.shake"), ((UniformOp)inBlock1.Op).Stream);
        Assert.NotEqual(RandomDraws.Bits(inBlock1), RandomDraws.Bits(inBlock2));
    }

    [Fact]
    public void Draws_do_not_depend_on_the_order_nodes_were_built_in()
    {
        var early = new GraphBuilder(DType.F64);
        var target = early.Normal("noise", [1000]);
        early.Uniform("other", [10]);

        var late = new GraphBuilder(DType.F64);
        late.Uniform("other", [10]);
        late.Bernoulli("mask", [10], 0.5);
        var sameTarget = late.Normal("noise", [1000]);

        Assert.NotEqual(target.Id, sameTarget.Id);
        Assert.Equal(RandomDraws.Bits(target), RandomDraws.Bits(sameTarget));
    }

    [Fact]
    public void Training_draws_what_inference_draws_at_the_same_step_and_a_resumed_run_continues_them()
    {
        // A loss that uses a draw: the draw takes no gradient, and the training program advances the step word.
        var b = new GraphBuilder(DType.F64);
        var w = b.Parameter("w", Initializer.Ones, [100]);
        var noise = b.Uniform("noise", [100]);
        var loss = b.SumAll(b.Mul(w, noise));
        var program = Autodiff.Train(loss, new Sgd(Momentum: 0, WeightDecay: 0), Schedule.Constant(0.1), noise);

        using var training = CpuBackend.Instance.Compile(program, new CompileOptions(Seed: 11, Threads: 2));
        var drawnWhileTraining = new List<long[]>();
        for (var step = 0; step < 3; step++)
        {
            training.Run();
            drawnWhileTraining.Add(RandomDraws.BitsOf(training, noise));
        }

        for (var step = 0; step < 3; step++)
            Assert.Equal(drawnWhileTraining[step], RandomDraws.Bits(noise, seed: 11, step: step));

        using var resumed = CpuBackend.Instance.Compile(program, new CompileOptions(Seed: 11, Threads: 1));
        resumed.Step = 2;
        resumed.Run();
        Assert.Equal(drawnWhileTraining[2], RandomDraws.BitsOf(resumed, noise));
    }

    [Fact]
    public void Random_ops_have_no_gradient()
    {
        var b = new GraphBuilder(DType.F64);
        var lam = b.Beta("lam", [4], 1, 1);
        var boxes = b.CutMixBoxes("box", lam, 8, 8);
        foreach (var node in new[] { b.Uniform("u", [3]), b.Normal("n", [3]), b.Bernoulli("m", [3], 0.5), lam, b.Permutation("p", 4), boxes })
            Assert.All(node.Op.Gradient(b, node, b.Scalar(1)), g => Assert.Null(g));
    }
}
