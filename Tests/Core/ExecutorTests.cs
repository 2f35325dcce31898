using StaticGraph.Backend;
using StaticGraph.Backend.Cpu;
using StaticGraph.Ops;
using Xunit;

namespace StaticGraph.Tests.Core;

public class ExecutorTests
{
    [Fact]
    public void Broadcast_arithmetic_and_reduction_compute_the_expected_values()
    {
        var b = new GraphBuilder(DType.F64);
        var x = b.Input("x", DType.F64, 2, 3);
        var w = b.Constant([1, 2, 3], DType.F64, 3);
        var y = b.Sum(b.Mul(x, w), [1]);
        using var run = CpuBackend.Instance.Compile(GraphProgram.Inference(y), new CompileOptions(Threads: 2));
        run.SetInput<double>("x", new double[] { 1, 1, 1, 2, 0, -1 });
        run.Run();
        Assert.Equal(new double[] { 6, -1 }, run.Read<double>(y));
    }

    [Fact]
    public void Sgd_on_a_quadratic_converges_to_its_minimum()
    {
        var b = new GraphBuilder(DType.F64);
        var p = b.Parameter("p", Initializer.Constant(5), [3]);
        var target = b.Constant([1, -2, 0.5], DType.F64, 3);
        var loss = b.SumAll(b.Square(b.Sub(p, target)));
        var program = Autodiff.Train(loss, new Sgd(Momentum: 0.5, WeightDecay: 0, Nesterov: true), Schedule.Constant(0.1));
        using var run = CpuBackend.Instance.Compile(program, new CompileOptions(Threads: 1));
        for (var i = 0; i < 200; i++) run.Run();
        var final = run.ReadVariable<double>("p");
        Assert.Equal(1, final[0], 6);
        Assert.Equal(-2, final[1], 6);
        Assert.Equal(0.5, final[2], 6);
        Assert.Equal(200, run.Step);
    }

    [Fact]
    public void A_wrong_shape_fails_when_the_node_is_built_and_names_it()
    {
        var b = new GraphBuilder();
        var x = b.Input("x", DType.F32, 2, 3);
        var y = b.Input("y", DType.F32, 4);
        var e = Assert.Throws<GraphBuildException>(() => b.Add(x, y));
        Assert.Contains("add", e.Message);
        Assert.Contains("f32[2,3]", e.Message);
        Assert.Contains("f32[4]", e.Message);
        Assert.Contains("do not broadcast", e.Message);
    }
}

public class ModeSelectTests
{
    [Fact]
    public void Mode_select_takes_the_training_value_in_training_and_prunes_it_in_inference()
    {
        var b = new GraphBuilder(DType.F64);
        var x = b.Input("x", DType.F64, 2);
        var drawn = b.Uniform("noise", [2]);
        var y = b.ModeSelect(b.Add(x, drawn), b.Scale(x, 2));
        var inference = GraphProgram.Inference(y);
        Assert.DoesNotContain(inference.Nodes, n => n.Op is UniformOp);
        using var run = CpuBackend.Instance.Compile(inference, new CompileOptions(Threads: 1));
        run.SetInput<double>("x", new double[] { 1, 2 });
        run.Run();
        Assert.Equal(new double[] { 2, 4 }, run.Read<double>(y));
        var training = GraphProgram.Create(ProgramMode.Training, [y], [], null, null);
        Assert.Contains(training.Nodes, n => n.Op is UniformOp);
        using var trainRun = CpuBackend.Instance.Compile(training, new CompileOptions(Threads: 1));
        trainRun.SetInput<double>("x", new double[] { 1, 2 });
        trainRun.Run();
        var v = trainRun.Read<double>(y);
        Assert.InRange(v[0], 1, 2);
        Assert.InRange(v[1], 2, 3);
    }
}
