using StaticGraph.Cuda.Kernels;
using StaticGraph.Cuda.Lowering;
using StaticGraph.Ops;

namespace StaticGraph.Cuda.Ops;

/// <summary>
/// Per-channel batch mean and unbiased variance [2, C]: the batch-normalisation moments (<see cref="ChannelStatistics"/>,
/// the same sums as the forward op, so running statistics track what was normalised with), then
/// <c>sg_channel_moments_T</c>, one thread per channel applying M / (M - 1) in double and rounding.
/// </summary>
[CudaLoweringFor(typeof(ChannelMomentsOp))]
internal sealed class ChannelMomentsLowering : ICudaLowering
{
    public void Lower(LoweringContext ctx)
    {
        var x = ctx.Node.Inputs[0];
        var l = ChannelStatistics.Layout.Of(x.Shape);
        var stats = ChannelStatistics.Moments(ctx, x, ctx.InputArg(0));
        ctx.Launch(Kernel(ctx.Type), l.Channels, KernelArg.Pointer(stats), ctx.OutputArg, KernelArg.I64(l.Channels), KernelArg.I64(l.PerChannel));
    }

    private static CudaKernelSource Kernel(KernelType type)
    {
        var t = type.C();
        KernelParameter[] parameters = [new("const double* __restrict__", "stats"), new($"{t}* __restrict__", "moments"), KernelTypes.Count, new("long long", "perChannel")];
        var body = $$"""
                {{KernelTypes.IndexLoop}}
                {
                    moments[i] = ({{t}})stats[2 * i];
                    moments[n + i] = ({{t}})(stats[2 * i + 1] * (double)perChannel / (double)(perChannel - 1));
                }
            """;
        return CudaKernelSource.Create($"sg_channel_moments_{type.Suffix()}", parameters, body);
    }
}
