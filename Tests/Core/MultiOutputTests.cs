using StaticGraph.Backend;
using StaticGraph.Backend.Cpu;
using StaticGraph.Conformance;
using StaticGraph.Ops;
using StaticGraph.Passes;
using StaticGraph.Tests.Nn;
using Xunit;

namespace StaticGraph.Tests.Core;

/// <summary>Nodes with several outputs: projections, pruning, memory, fusion, autodiff, kernels and listings.</summary>
public class MultiOutputTests
{
    private static (GraphBuilder B, Node X, IReadOnlyList<Node> Outputs) Split(DType dtype = DType.F64)
    {
        var b = new GraphBuilder(dtype);
        var x = b.Input("x", dtype, 2, 3);
        return (b, x, b.ApplyMulti(new SplitSignsOp(), x));
    }

    [Fact]
    public void The_builder_creates_one_projection_per_further_output_right_after_the_producer()
    {
        var (_, x, outputs) = Split();
        Assert.Equal(3, outputs.Count);
        var producer = outputs[0];
        Assert.Equal([producer.Id, producer.Id + 1, producer.Id + 2], outputs.Select(o => o.Id));
        Assert.Same(outputs, producer.Outputs);
        Assert.All(outputs.Skip(1), o => Assert.Equal([producer], o.Inputs));
        Assert.Equal([producer, producer, producer], outputs.Select(o => o.Producer));
        Assert.Equal([0, 1, 2], outputs.Select(o => o.OutputIndex));
        Assert.Equal(["f64[2,3]", "f64[2,3]", "f64[]"], outputs.Select(o => o.Type.ToString()));
        Assert.Equal([x], x.Outputs);
        Assert.Equal([outputs[1]], outputs[1].Outputs);
    }

    [Fact]
    public void A_projection_cannot_be_applied_on_its_own()
    {
        var (b, _, outputs) = Split();
        var projection = (OutputOp)outputs[1].Op;
        var e = Assert.Throws<GraphBuildException>(() => b.Apply(projection, outputs[0]));
        Assert.Contains("output index=1", e.Message);
        Assert.Contains("created with their producer", e.Message);
    }

    [Fact]
    public void The_listing_and_dot_show_the_projections()
    {
        var (_, _, outputs) = Split();
        var program = GraphProgram.Inference(outputs[2]);
        var listing = program.ToString();
        Assert.Contains("%1 = split_signs(%0) : f64[2,3]", listing);
        Assert.Contains("%2 = output(%1) index=1 : f64[2,3]", listing);
        Assert.Contains("%3 = output(%1) index=2 : f64[]", listing);
        var dot = GraphPrinter.ToDot(program);
        Assert.Contains("n1 -> n3 [style=dotted];", dot);
        Assert.Contains("%3 output 2", dot);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    public void A_program_keeps_every_output_of_a_producer_it_keeps(int fetched)
    {
        var (_, _, outputs) = Split();
        var program = GraphProgram.Inference(outputs[fetched]);
        Assert.Equal(outputs, program.Nodes.Where(n => n.Producer == outputs[0]));
    }

    [Fact]
    public void Each_output_has_its_own_buffer_live_from_the_producers_kernel()
    {
        var (b, _, outputs) = Split();
        var later = b.Neg(outputs[1]);
        var program = GraphProgram.Inference(later);
        var plan = MemoryPlan.Build(program);
        var at = program.Nodes.ToList().IndexOf(outputs[0]);
        var buffers = outputs.Select(o => plan.BufferOf(o)!.Value).ToArray();
        Assert.All(buffers, buf => Assert.Equal(at, buf.Start));
        // Output 1 is read by the later node; outputs 0 and 2 are read by no one but are still written.
        Assert.Equal(program.Nodes.ToList().IndexOf(later), buffers[1].End);
        for (var i = 0; i < buffers.Length; i++)
            for (var j = i + 1; j < buffers.Length; j++)
                Assert.False(buffers[i].OverlapsInSpace(buffers[j]), $"outputs {i} and {j} share bytes");
    }

    [Fact]
    public void Fusion_never_takes_a_multi_output_node_or_its_projections()
    {
        var (b, _, outputs) = Split();
        var y = b.Neg(b.Add(outputs[0], outputs[1]));
        var fusion = ElementwiseFusion.Build(GraphProgram.Inference(y), _ => true);
        Assert.All(outputs, o => Assert.Null(fusion.GroupOf(o)));
        Assert.Equal(2, fusion.GroupOf(y)!.Members.Count);
    }

    [Fact]
    public void One_kernel_writes_every_output()
    {
        var (b, _, outputs) = Split();
        var program = GraphProgram.Inference([.. outputs]);
        using var run = CpuBackend.Instance.CompileCpu(program, new CompileOptions(Threads: 1));
        run.Profile = true;
        run.SetInput<double>("x", new double[] { 1, -2, 3, -4, 0, 5 });
        run.Run();
        Assert.Equal(new double[] { 1, 0, 3, 0, 0, 5 }, run.Read<double>(outputs[0]));
        Assert.Equal(new double[] { 0, -2, 0, -4, 0, 0 }, run.Read<double>(outputs[1]));
        Assert.Equal(new double[] { 3 }, run.Read<double>(outputs[2]));
        Assert.Equal([("split_signs", 1)], run.ProfileByOp().Select(p => (p.Op, p.Calls)));
    }

    [Fact]
    public void Checking_finite_values_covers_every_output()
    {
        var (b, _, outputs) = Split();
        using var run = CpuBackend.Instance.CompileCpu(GraphProgram.Inference(outputs[0]), new CompileOptions(Threads: 1));
        run.CheckFinite = true;
        // Every element is finite but their sum, output 2, overflows.
        run.SetInput<double>("x", new double[] { 1, 2, 3, 4, double.MaxValue, double.MaxValue });
        var e = Assert.Throws<NonFiniteValueException>(run.Run);
        Assert.Contains(outputs[2].ToString(), e.Message);
    }

    [Fact]
    public void Autodiff_hands_the_producer_the_gradients_of_all_its_outputs()
    {
        // A loss reading output 0 twice, output 2 and not output 1: one gradient rule call gets (d0, null, d2).
        var values = new[] { TestValues.Uniform(6, seed: 3, -1, 1) };
        Node Apply(GraphBuilder b, Node[] i)
        {
            var o = b.ApplyMulti(new SplitSignsOp(), i[0]);
            return b.Add(b.Mul(o[0], o[0]), b.BroadcastTo(b.Square(o[2]), o[0].Shape));
        }
        GradientChecker.Check(GradientProblem.Of("split_signs", [[2, 3]], values, Apply));
    }

    [Fact]
    public void The_gradient_rule_runs_once_with_null_for_outputs_that_receive_none()
    {
        var calls = new List<Node?[]>();
        var b = new GraphBuilder(DType.F64);
        var x = b.Input("x", DType.F64, 2, 3);
        var outputs = b.ApplyMulti(new SplitSignsOp(calls), x);
        var loss = b.Add(b.SumAll(b.Mul(outputs[1], outputs[1])), b.SumAll(outputs[1]));
        Assert.True(Autodiff.Gradients(loss, [x]).ContainsKey(x));
        var call = Assert.Single(calls);
        Assert.Null(call[0]);
        Assert.NotNull(call[1]);
        Assert.Null(call[2]);
    }
}
