using StaticGraph.Cuda.Lowering;
using StaticGraph.Ops;
using StaticGraph.Tests.Cuda.Emulation;
using Xunit;

namespace StaticGraph.Tests.Cuda;

/// <summary>
/// Batch normalisation, its statistics outputs and its gradients: per-channel sums through scratch in fixed chunks, CPU
/// semantics on the emulator.
/// </summary>
public class NormalizationLoweringTests
{
    public static TheoryData<DType, int[]> Shapes()
    {
        var data = new TheoryData<DType, int[]>();
        foreach (var dtype in new[] { DType.F32, DType.F64 })
        {
            data.Add(dtype, [4, 3, 5, 5]);
            // 1800 values per channel: more than one chunk of partial sums.
            data.Add(dtype, [2, 3, 30, 30]);
            data.Add(dtype, [6, 4]);
            data.Add(dtype, [3, 2, 4, 1, 3]);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Training_batch_norm_its_statistics_and_its_gradients_match_the_CPU(DType dtype, int[] shape)
    {
        var (b, x, gamma, beta, mean, variance, feeds) = Inputs(dtype, shape);
        var dy = b.Input("dy", dtype, shape);
        var (y, batchMean, batchVar) = b.BatchNormWithStatistics(x, gamma, beta, mean, variance, eps: 1e-3);
        var grads = b.ApplyMulti(new BatchNormBackwardOp(1e-3), x, gamma, dy, batchMean, batchVar);
        var program = GraphProgram.Create(ProgramMode.Training, [y, batchMean, batchVar, .. grads], [], null, null);
        var count = shape.Aggregate(1, (a, d) => a * d);
        feeds["dy"] = ElementwiseLoweringTests.Feeds(dtype, ("dy", count))["dy"];
        EmulatorParity.AssertMatchesCpu(program, feeds);
    }

    [Theory]
    [InlineData(DType.F32)]
    [InlineData(DType.F64)]
    public void Inference_batch_norm_uses_the_running_statistics(DType dtype)
    {
        var (b, x, gamma, beta, mean, variance, feeds) = Inputs(dtype, [3, 4, 2, 3]);
        var (y, usedMean, usedVar) = b.BatchNormWithStatistics(x, gamma, beta, mean, variance);
        var plan = EmulatorParity.AssertMatchesCpu(GraphProgram.Inference(y, usedMean, usedVar), feeds);
        Assert.DoesNotContain(plan.Commands.OfType<LaunchCommand>(), c => c.Kernel.Name.StartsWith("sg_channel_", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(DType.F32)]
    [InlineData(DType.F64)]
    public void Float32_moments_stay_accurate_when_the_mean_dwarfs_the_spread(DType dtype)
    {
        var (b, x, gamma, beta, mean, variance, feeds) = Inputs(dtype, [4, 2, 6, 6]);
        var shifted = b.AddScalar(x, 1000);
        var (y, batchMean, batchVar) = b.BatchNormWithStatistics(shifted, gamma, beta, mean, variance);
        var program = GraphProgram.Create(ProgramMode.Training, [y, batchMean, batchVar], [], null, null);
        EmulatorParity.AssertMatchesCpu(program, feeds);
    }

    [Fact]
    public void A_training_step_computes_each_channels_moments_once()
    {
        // The moments' partial sums run for the forward op only; the backward op's partials are the gradient sums.
        var (b, x, gamma, beta, mean, variance, _) = Inputs(DType.F32, [4, 3, 5, 5]);
        var y = b.BatchNormRaw(x, gamma, beta, mean, variance);
        var grads = Autodiff.Gradients(b.SumAll(b.Square(y)), [x, gamma, beta]);
        var plan = CudaPlanner.Plan(GraphProgram.Create(ProgramMode.Training, [.. grads.Values], [], null, null));
        var names = plan.Commands.OfType<LaunchCommand>().Select(c => c.Kernel.Name).ToList();
        Assert.Equal(1, names.Count(n => n.StartsWith("sg_channel_partials_", StringComparison.Ordinal)));
        Assert.Equal(1, names.Count(n => n.StartsWith("sg_channel_grad_partials_", StringComparison.Ordinal)));
        // dbeta comes with dgamma from the gradient sums, not from a reduction of dy (the loss's own sum is pruned).
        Assert.DoesNotContain(names, n => n.StartsWith("sg_reduce_", StringComparison.Ordinal));
    }

    private static (GraphBuilder B, Node X, Node Gamma, Node Beta, Node Mean, Node Var, Dictionary<string, Array> Feeds) Inputs(DType dtype, int[] shape)
    {
        var b = new GraphBuilder(dtype);
        var c = shape[1];
        var x = b.Input("x", dtype, shape);
        var gamma = b.Input("gamma", dtype, c);
        var beta = b.Input("beta", dtype, c);
        var mean = b.Input("mean", dtype, c);
        var variance = b.Abs(b.Input("var", dtype, c));
        var feeds = ElementwiseLoweringTests.Feeds(dtype, ("x", shape.Aggregate(1, (a, d) => a * d)), ("gamma", c), ("beta", c), ("mean", c), ("var", c));
        return (b, x, gamma, beta, mean, variance, feeds);
    }
}
