using StaticGraph.Backend;
using StaticGraph.Backend.Cpu;
using StaticGraph.Distributed;
using StaticGraph.Models;
using StaticGraph.Ops;
using Xunit;

namespace StaticGraph.Tests.Distributed;

/// <summary>The data-parallel transformation on the graph, and the backends' refusal of what they cannot run.</summary>
public class DataParallelTests
{
    /// <summary>ResNet-preact-20 on 2 tiny images, trained with Nesterov SGD, as one rank of <paramref name="parallel"/>.</summary>
    private static (GraphProgram Program, Node Loss) Resnet(DataParallel? parallel, DType dtype = DType.F32)
    {
        var b = new GraphBuilder(dtype);
        var x = b.Input("image", dtype, 2, 1, 8, 8);
        var y = b.Input("label", DType.I32, 2);
        var logits = ModelZoo.Get("resnet-preact-20")(b, x, 10);
        var loss = b.SoftmaxCrossEntropy(logits, y);
        return (Autodiff.Train(loss, Sgd.WithNesterov(), Schedule.Constant(0.1), parallel, logits), loss);
    }

    [Fact]
    public void A_world_of_one_leaves_the_program_as_it_was()
    {
        Assert.Equal(Resnet(null).Program.ToString(), Resnet(new DataParallel(1)).Program.ToString());
    }

    [Fact]
    public void Every_gradient_and_state_update_is_averaged_in_one_bucket_by_default()
    {
        var (program, _) = Resnet(new DataParallel(2));
        var reduces = program.Nodes.Where(n => n.Op is AllReduceOp).ToList();
        var reduced = Assert.Single(reduces);
        Assert.Equal("bucket=0 world=2 mean", reduced.Op.Attributes);
        // One bucket joins every trained parameter's gradient and every running statistic's new value.
        var parameters = program.Variables.Where(v => v.Op is VariableOp { Kind: VariableKind.Parameter }).Sum(v => v.Shape.ElementCount);
        var states = program.Updates.Where(u => u.Variable.Op is VariableOp { Kind: VariableKind.State } && u.Variable.Name!.Contains("running", StringComparison.Ordinal))
            .Sum(u => u.Variable.Shape.ElementCount);
        Assert.Equal(parameters + states, reduced.Shape.ElementCount);
        Assert.IsType<ConcatOp>(reduced.Inputs[0].Op);
        // Every optimizer update reads an averaged gradient: nothing reaches sgd_* from the backward pass except through it.
        foreach (var update in program.Nodes.Where(n => n.Op is SgdVelocityOp))
            Assert.True(DependsOn(update.Inputs[1], reduced), $"{GraphPrinter.Line(update)} reads a gradient that was not averaged");
        foreach (var update in program.Updates.Where(u => u.Variable.Name!.Contains("running", StringComparison.Ordinal)))
            Assert.True(DependsOn(update.NewValue, reduced), $"{update.Variable.Name} is updated from a value that was not averaged");
    }

    [Fact]
    public void Small_buckets_split_the_values_in_order_and_a_large_tensor_is_a_bucket_of_its_own()
    {
        var b = new GraphBuilder(DType.F32);
        var small1 = b.Input("a", DType.F32, 10);   // 40 bytes
        var large = b.Input("b", DType.F32, 100);   // 400 bytes
        var small2 = b.Input("c", DType.F32, 5);    // 20 bytes
        var small3 = b.Input("d", DType.F32, 5);    // 20 bytes
        var other = b.Input("e", DType.F64, 3);     // another dtype: its own bucket
        var parallel = new DataParallel(4, bucketBytes: 100);
        Node[] values = [small1, large, small2, small3, other];
        Assert.Equal([[0], [1], [2, 3], [4]], parallel.Buckets(values).Select(bucket => bucket.ToArray()).ToArray());
        var means = parallel.Mean(b, values);
        for (var i = 0; i < values.Length; i++) Assert.Equal(values[i].Type, means[i].Type);
        Assert.Equal(4, b.Nodes.Count(n => n.Op is AllReduceOp));
    }

    [Fact]
    public void Integer_values_cannot_be_averaged()
    {
        var b = new GraphBuilder(DType.F32);
        var e = Assert.Throws<GraphBuildException>(() => new DataParallel(2).Mean(b, [b.Input("n", DType.I32, 3)]));
        Assert.Contains("cannot be averaged over ranks", e.Message);
    }

    [Fact]
    public void The_gradient_of_an_all_reduce_is_an_all_reduce_of_the_incoming_gradient()
    {
        var b = new GraphBuilder(DType.F64);
        var w = b.Parameter("w", Initializer.Constant(1), [3]);
        var reduced = b.Apply(new AllReduceOp(0, 3), w);
        var loss = b.SumAll(b.Square(reduced));
        var grad = Autodiff.Gradients(loss, [w])[w];
        var op = Assert.IsType<AllReduceOp>(grad.Op);
        Assert.Equal((0, 3), (op.Bucket, op.World));
        // And numerically: with every rank holding w = rank + 1, d(sum_r L_r)/dw_q = (1/N) sum_r 2·mean(w) = 2·mean(w).
        var values = InProcessGroup.Run(3, world =>
        {
            using var run = CpuBackend.Instance.Compile(GraphProgram.Inference(grad), new CompileOptions(Communicator: world));
            run.WriteVariable<double>("w", [world.Rank + 1.0, world.Rank + 1.0, world.Rank + 1.0]);
            run.Run();
            return run.Read<double>(grad);
        });
        Assert.All(values, v => Assert.Equal([4.0, 4.0, 4.0], v));
    }

    [Fact]
    public void A_world_of_one_is_refused_by_the_op()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new AllReduceOp(0, 1));
    }

    [Theory]
    [InlineData("cpu")]
    [InlineData("cuda-emulator")]
    public void A_program_that_averages_over_ranks_is_refused_without_a_communicator_naming_the_node(string backend)
    {
        if (backend == "cuda-emulator" && Cuda.Emulation.HostKernelLibrary.Missing is { } why) Assert.Skip(why);
        var (program, _) = Resnet(new DataParallel(2));
        var e = Assert.Throws<NotSupportedException>(() => Backends.Resolve(backend).Compile(program, new CompileOptions()));
        Assert.Contains("all_reduce(", e.Message);
        Assert.Contains("averages over 2 ranks", e.Message);
        Assert.Contains("without a communicator", e.Message);
        Assert.DoesNotContain('\n', e.Message);
        var other = Assert.Throws<NotSupportedException>(() => Backends.Resolve(backend).Compile(program, new CompileOptions(Communicator: InProcessGroup.Create(3).Members[0])));
        Assert.Contains("built for 2 ranks", other.Message);
        Assert.Contains("has 3", other.Message);
    }

    [Fact]
    public void Ranks_draw_from_keys_of_their_own_and_initialise_alike()
    {
        Assert.Equal(42UL, RankSeed.For(42, 0));
        var keys = Enumerable.Range(0, 64).Select(r => RankSeed.For(42, r)).ToHashSet();
        Assert.Equal(64, keys.Count);
        var b = new GraphBuilder(DType.F32);
        var p = b.Parameter("p", Initializer.Normal(1), [16]);
        var draw = b.Add(b.Uniform("noise", [16]), p);
        var (drawn, initial) = (new float[2][], new float[2][]);
        InProcessGroup.Run(2, world =>
        {
            using var run = CpuBackend.Instance.Compile(GraphProgram.Inference(draw), new CompileOptions(Seed: 7, Communicator: world));
            run.Run();
            (drawn[world.Rank], initial[world.Rank]) = (run.Read<float>(draw), run.ReadVariable<float>("p"));
            return 0;
        });
        Assert.Equal(initial[0], initial[1]);
        Assert.NotEqual(drawn[0], drawn[1]);
    }

    private static bool DependsOn(Node node, Node target)
    {
        var seen = new HashSet<Node>();
        var stack = new Stack<Node>([node]);
        while (stack.Count > 0)
        {
            var n = stack.Pop();
            if (ReferenceEquals(n, target)) return true;
            if (!seen.Add(n) || n.Id < target.Id) continue;
            foreach (var i in n.Inputs) stack.Push(i);
        }
        return false;
    }
}
