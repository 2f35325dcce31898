using StaticGraph.Cuda.Lowering;
using StaticGraph.Ops;
using Xunit;

namespace StaticGraph.Tests.Cuda;

/// <summary>
/// Batch normalisation's lowering: in inference it reads the running statistics and computes no channel statistics. Its
/// results and its gradients' against the CPU (chunked statistics, a large mean, every rank) are the conformance kit's.
/// </summary>
public class NormalizationLoweringTests
{
    [Theory]
    [InlineData(DType.F32)]
    [InlineData(DType.F64)]
    public void Inference_batch_norm_uses_the_running_statistics(DType dtype)
    {
        var b = new GraphBuilder(dtype);
        var x = b.Input("x", dtype, 3, 4, 2, 3);
        var (gamma, beta, mean, variance) = (b.Input("gamma", dtype, 4), b.Input("beta", dtype, 4), b.Input("mean", dtype, 4), b.Input("var", dtype, 4));
        var plan = CudaPlanner.Plan(GraphProgram.Inference(b.BatchNormRaw(x, gamma, beta, mean, variance)));
        Assert.NotEmpty(plan.Commands.OfType<LaunchCommand>());
        Assert.DoesNotContain(plan.Commands.OfType<LaunchCommand>(), c => c.Kernel.Name.StartsWith("sg_channel_", StringComparison.Ordinal));
    }
}
