using StaticGraph.Cuda.Kernels;
using StaticGraph.Cuda.Lowering;
using StaticGraph.Ops;

namespace StaticGraph.Cuda.Ops;

/// <summary>
/// The gamma gradient of batch normalisation, <c>sum(dy * (x - mean)) / sqrt(var + eps)</c> per channel in double: the
/// batch moments and gradient sums (<see cref="ChannelStatistics"/>), then <c>sg_batch_norm_scale_grad_T</c>, one
/// thread per channel.
/// </summary>
[CudaLoweringFor(typeof(BatchNormScaleGradOp))]
internal sealed class BatchNormScaleGradLowering : ICudaLowering
{
    public void Lower(LoweringContext ctx)
    {
        var x = ctx.Node.Inputs[0];
        var l = ChannelStatistics.Layout.Of(x.Shape);
        var stats = ChannelStatistics.Moments(ctx, x, ctx.InputArg(0));
        var sums = ChannelStatistics.GradientSums(ctx, x, ctx.InputArg(0), ctx.InputArg(1), stats);
        ctx.Launch(Kernel(ctx.Type), l.Channels, KernelArg.Pointer(stats), KernelArg.Pointer(sums), ctx.OutputArg,
            KernelArg.I64(l.Channels), KernelArg.F64(((BatchNormScaleGradOp)ctx.Node.Op).Eps));
    }

    private static CudaKernelSource Kernel(KernelType type)
    {
        var t = type.C();
        KernelParameter[] parameters =
        [
            new("const double* __restrict__", "stats"), new("const double* __restrict__", "sums"), new($"{t}* __restrict__", "dgamma"),
            KernelTypes.Count, new("double", "eps"),
        ];
        var body = $$"""
                {{KernelTypes.IndexLoop}}
                    dgamma[i] = ({{t}})(sums[2 * i + 1] / sqrt(stats[2 * i + 1] + eps));
            """;
        return CudaKernelSource.Create($"sg_batch_norm_scale_grad_{type.Suffix()}", parameters, body);
    }
}
