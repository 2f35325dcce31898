using StaticGraph.Backend;
using StaticGraph.Backend.Cpu;
using StaticGraph.Ops;
using Xunit;

namespace StaticGraph.Tests.Nn;

/// <summary>The batch-norm layer's running-statistics update, built on the forward op's statistics outputs.</summary>
public class BatchNormLayerTests
{
    private static readonly int[] Shape = [3, 4, 5, 3];

    [Theory]
    [InlineData(0.1)]
    [InlineData(0.5)]
    public void A_training_step_blends_the_batch_mean_and_unbiased_variance_into_the_running_statistics(double momentum)
    {
        var x = TestValues.Uniform(TestValues.Count(Shape), seed: 11, -2, 5);
        var b = new GraphBuilder(DType.F64);
        var input = b.Input("x", DType.F64, Shape);
        var y = b.BatchNorm(input, momentum);
        using var run = CpuBackend.Instance.Compile(GraphProgram.Create(ProgramMode.Training, [y], b.StateUpdates, null, null), new CompileOptions(Threads: 2));
        run.SetInput<double>("x", x);
        run.Run();
        var (mean, variance) = NaiveReference.ChannelMoments(x, Shape, ddof: 1);
        BatchNormTests.AssertClose(mean.Select(m => momentum * m).ToArray(), run.ReadVariable<double>("bn.running_mean"), 1e-12);
        BatchNormTests.AssertClose(variance.Select(v => (1 - momentum) + momentum * v).ToArray(), run.ReadVariable<double>("bn.running_var"), 1e-12);
    }

    [Fact]
    public void A_training_step_takes_each_layers_statistics_once_per_direction()
    {
        var b = new GraphBuilder();
        var x = b.Input("x", DType.F32, 4, 1, 6, 6);
        var h = b.Relu(b.BatchNorm(b.Conv2d(x, 3, 3, padding: 1, name: "conv1"), name: "bn1"));
        h = b.Relu(b.BatchNorm(b.Conv2d(h, 3, 3, padding: 1, name: "conv2"), name: "bn2"));
        var step = Autodiff.Train(b.SumAll(h), new Sgd(0.9, 0, false), Schedule.Constant(0.1));
        Assert.Equal(2, step.Nodes.Count(n => n.Op is BatchNormOp));
        Assert.Equal(2, step.Nodes.Count(n => n.Op is BatchNormBackwardOp));
        // Nothing else reads a normalised input (no separate moments), and the only reduction is the loss's own sum
        // (none for the shift's gradient).
        foreach (var bn in step.Nodes.Where(n => n.Op is BatchNormOp))
            Assert.Equal(["batch_norm", "batch_norm_backward"], step.Nodes.Where(n => n.Inputs.Contains(bn.Inputs[0])).Select(n => n.Op.Name).Order());
        Assert.Single(step.Nodes, n => n.Op is ReduceOp);
    }

    [Fact]
    public void One_value_per_channel_fails_when_built()
    {
        var b = new GraphBuilder();
        var x = b.Input("x", DType.F32, 1, 3, 1, 1);
        var e = Assert.Throws<GraphBuildException>(() => b.BatchNorm(x));
        Assert.Contains("batch norm layer 'bn'", e.Message);
        Assert.Contains("f32[1,3,1,1]", e.Message);
        Assert.Contains("at least 2 values per channel", e.Message);
    }
}
