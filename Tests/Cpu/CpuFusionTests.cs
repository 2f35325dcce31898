using StaticGraph.Backend;
using StaticGraph.Backend.Cpu;
using StaticGraph.Ops;
using StaticGraph.Passes;
using Xunit;

namespace StaticGraph.Tests.Cpu;

/// <summary>
/// The CPU backend's fusion (<see cref="CpuFusionPlan"/>) changes memory and time, never a result: whole training steps
/// with and without it, on one and several threads, give the same bits, and the values it stops storing are the ones
/// it claims.
/// </summary>
public class CpuFusionTests
{
    public static TheoryData<string, string, int, int> Models => new()
    {
        { "resnet-preact-20", "", 1, 28 },
        { "shake-shake-26-2x32d", "shake-image", 3, 32 },
        { "densenet-bc-100-12", "", 3, 8 },
    };

    [Theory]
    [MemberData(nameof(Models))]
    public void Fused_training_steps_are_bitwise_the_unfused_ones_on_any_thread_count(string model, string variant, int channels, int size)
    {
        var (program, loss, _) = ZooTrainingPrograms.Build(model, variant, channels, size, batch: 6);
        var unfused = Steps(program, loss, fuse: false, threads: 1);
        foreach (var threads in new[] { 1, 2, 3 })
        {
            var fused = Steps(program, loss, fuse: true, threads);
            foreach (var (name, bits) in unfused)
                Assert.True(bits.AsSpan().SequenceEqual(fused[name]), $"{name} differs with fusion on {threads} thread(s)");
        }
    }

    [Fact]
    public void An_inference_program_fuses_too_and_gives_the_same_logits()
    {
        var (program, loss, logits) = ZooTrainingPrograms.Build("resnet-preact-20", "", 1, 28, batch: 4);
        var inference = GraphProgram.Inference(logits);
        byte[] Logits(bool fuse)
        {
            using var train = CpuBackend.Instance.CompileCpu(program, new CompileOptions(Seed: 3, Threads: 2), fuse);
            Feed(train, 4, 1, 28);
            train.Run();
            using var eval = CpuBackend.Instance.CompileCpu(inference, new CompileOptions(Seed: 3, Threads: 2, ShareVariablesWith: train), fuse);
            Feed(eval, 4, 1, 28, labels: false);
            eval.Run();
            Assert.True(float.IsFinite(train.Read<float>(loss)[0]));
            return eval.Read<float>(logits).SelectMany(BitConverter.GetBytes).ToArray();
        }
        Assert.Equal(Logits(fuse: false), Logits(fuse: true));
    }

    [Fact]
    public void Every_relu_of_a_batch_norm_in_resnet_preact_20_is_fused_and_the_arena_halves()
    {
        var (program, _, _) = ZooTrainingPrograms.Build("resnet-preact-20", "", 1, 28, batch: 8);
        var plan = CpuFusionPlan.Build(program);
        var relus = program.Nodes.Where(n => n.Op is UnaryOp { Function: UnaryFunction.Relu }).ToList();
        Assert.Equal(19, relus.Count);
        Assert.All(relus, r => Assert.Same(r.Inputs[0], plan.BatchNormOf(r)));
        Assert.All(relus, r => Assert.False(plan.IsStored(r.Inputs[0]), $"{r.Inputs[0]} (the normalised value) is stored"));
        // Every relu_backward is recomputed by the batch-norm gradient that reads it.
        var masked = program.Nodes.Where(n => n.Op is BinaryOp { Function: BinaryFunction.ReluBackward }).ToList();
        Assert.Equal(19, masked.Count);
        Assert.All(masked, d => Assert.False(plan.IsStored(d)));
        // Only the relus read as they are (the identity shortcut of the first block, global pooling at the end) are stored.
        Assert.Equal(2, relus.Count(plan.IsStored));
        var fused = MemoryPlan.Build(program, plan).ArenaBytes;
        var unfused = MemoryPlan.Build(program).ArenaBytes;
        Assert.True(fused < 0.6 * unfused, $"arena {fused} bytes with fusion, {unfused} without");
    }

    [Fact]
    public void Every_stored_value_is_live_wherever_a_fused_kernel_reads_it()
    {
        var (program, _, _) = ZooTrainingPrograms.Build("shake-shake-26-2x32d", "shake-image", 3, 32, batch: 2);
        var plan = CpuFusionPlan.Build(program);
        var memory = MemoryPlan.Build(program, plan);
        var index = program.Nodes.Select((n, i) => (n, i)).ToDictionary(p => p.n, p => p.i);
        foreach (var n in program.Nodes.Where(n => n.Op is not OutputOp))
        {
            var at = index[plan.ComputedBy(n)];
            foreach (var input in plan.Reads(n))
            {
                if (memory.BufferOf(input) is not { } b) continue;
                Assert.True(plan.IsStored(memory.StorageOf(input)), $"{n} reads {input}, which is not stored");
                Assert.True(b.Start < at && b.End >= at || b.Start == -1, $"{n} (kernel at {at}) reads {input} outside its buffer's life [{b.Start}, {b.End}]");
            }
        }
    }

    [Fact]
    public void A_relu_read_as_it_is_in_the_forward_pass_is_stored_until_then_and_recomputed_after()
    {
        // relu(bn(x)) feeds a convolution and, as it is, an add (a residual connection); the backward pass reads it again.
        var b = new GraphBuilder(DType.F32);
        var x = b.Input("x", DType.F32, 3, 4, 6, 6);
        var r = b.Relu(b.BatchNorm(x));
        var h = b.Add(b.Conv2d(r, outChannels: 4, kernel: 3, padding: 1), r);
        var loss = b.MeanAll(b.Square(h));
        var program = Autodiff.Train(loss, new Sgd(), Schedule.Constant(0.1));
        var plan = CpuFusionPlan.Build(program);
        Assert.True(plan.IsStored(r));
        var filterGradient = program.Nodes.Single(n => n.Op is Conv2dBackwardFilterOp);
        Assert.True(plan.ReadsRows(filterGradient, 0), "the filter gradient, after the add, recomputes the relu");
        var forward = program.Nodes.Single(n => n.Op is Conv2dOp);
        Assert.False(plan.ReadsRows(forward, 0), "the forward convolution, before the add, reads the stored relu");
        var memory = MemoryPlan.Build(program, plan);
        var add = program.Nodes.ToList().IndexOf(program.Nodes.Single(n => n.Op is BinaryOp { Function: BinaryFunction.Add } && n.Inputs.Contains(r)));
        Assert.Equal(add, memory.BufferOf(r)!.Value.End);
        Assert.Equal(Steps(program, loss, fuse: false, threads: 1, feed: e => FeedX(e, x)), Steps(program, loss, fuse: true, threads: 2, feed: e => FeedX(e, x)));
    }

    [Fact]
    public void Zeros_and_constant_channels_give_the_same_bits_fused()
    {
        // Channel 0 is constant (variance 0, every normalised value exactly beta = 0), channel 1 holds signed zeros and
        // values on either side of its mean: the ReLU's ties and the mask's edges.
        var b = new GraphBuilder(DType.F32);
        var x = b.Input("x", DType.F32, 2, 2, 4, 4);
        var r = b.Relu(b.BatchNorm(x));
        var loss = b.MeanAll(b.Square(b.Conv2d(r, outChannels: 3, kernel: 3, padding: 1)));
        var program = Autodiff.Train(loss, new Sgd(), Schedule.Constant(0.1));
        void Feed(IExecutable e)
        {
            var values = new float[2 * 2 * 16];
            for (var i = 0; i < values.Length; i++)
                values[i] = (i / 16 % 2) == 0 ? 0.75f : (i % 4) switch { 0 => 0f, 1 => -0f, 2 => 1f, _ => -1f };
            e.SetInput<float>("x", values);
        }
        Assert.Equal(Steps(program, loss, fuse: false, threads: 1, feed: Feed), Steps(program, loss, fuse: true, threads: 1, feed: Feed));
    }

    [Fact]
    public void Reading_a_value_that_is_not_stored_names_it()
    {
        var b = new GraphBuilder(DType.F32);
        var x = b.Input("x", DType.F32, 2, 3, 4, 4);
        var bn = b.BatchNorm(x);
        var loss = b.MeanAll(b.Conv2d(b.Relu(bn), outChannels: 2, kernel: 1));
        var program = Autodiff.Train(loss, new Sgd(), Schedule.Constant(0.1));
        using var run = CpuBackend.Instance.CompileCpu(program, new CompileOptions(Threads: 1));
        run.SetInput<float>("x", new float[2 * 3 * 16]);
        run.Run();
        var e = Assert.Throws<InvalidOperationException>(() => run.Read<float>(bn));
        Assert.Contains("is not stored", e.Message);
    }

    private static void Feed(IExecutable run, int batch, int channels, int size, bool labels = true)
    {
        var random = new System.Random(5);
        run.SetInput<float>("image", Enumerable.Range(0, batch * channels * size * size).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray());
        if (labels) run.SetInput<int>("label", Enumerable.Range(0, batch).Select(i => i % 10).ToArray());
    }

    private static void FeedX(IExecutable run, Node x)
    {
        var random = new System.Random(9);
        run.SetInput<float>("x", Enumerable.Range(0, (int)x.Shape.ElementCount).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray());
    }

    /// <summary>Three steps; the bits of every variable afterwards and of the last loss, by name.</summary>
    private static Dictionary<string, byte[]> Steps(GraphProgram program, Node loss, bool fuse, int threads, Action<IExecutable>? feed = null)
    {
        using var run = CpuBackend.Instance.CompileCpu(program, new CompileOptions(Seed: 1, Threads: threads), fuse);
        var image = program.Inputs.FirstOrDefault(i => i.Name == "image");
        if (feed is not null) feed(run);
        else Feed(run, image!.Shape[0], image.Shape[1], image.Shape[2]);
        for (var i = 0; i < 3; i++) run.Run();
        var bits = new Dictionary<string, byte[]> { ["loss"] = BitConverter.GetBytes(run.Read<float>(loss)[0]) };
        foreach (var name in run.Variables.Names) bits[name] = run.ReadVariable<float>(name).SelectMany(BitConverter.GetBytes).ToArray();
        return bits;
    }
}
