using StaticGraph.Cuda.Kernels;
using StaticGraph.Cuda.Lowering;
using StaticGraph.Ops;

namespace StaticGraph.Cuda.Ops;

/// <summary>
/// The gradients of training-mode batch normalisation in the CPU kernel's steps: the gradient sums over the forward op's
/// mean (<see cref="ChannelStatistics"/>), then <c>sg_batch_norm_backward_coefficients_T</c> per channel, which writes
/// dgamma (<c>sum(dy*(x - mean)) / sqrt(var + eps)</c>) and dbeta (<c>sum(dy)</c>) and the coefficients of dx
/// (<c>a = gamma*invstd</c>, <c>k = a*invstd^2*mean(dy*(x - mean))</c>, the mean and <c>mean(dy)</c>, in double, rounded
/// to the element type), then <c>sg_batch_norm_backward_apply_T</c> per element: <c>a*(dy - mean(dy)) - k*(x - mean)</c>.
/// </summary>
[CudaLoweringFor(typeof(BatchNormBackwardOp))]
internal sealed class BatchNormBackwardLowering : ICudaLowering
{
    public void Lower(LoweringContext ctx)
    {
        var x = ctx.Node.Inputs[0];
        var l = ChannelStatistics.Layout.Of(x.Shape);
        var type = ctx.Type;
        var sums = ChannelStatistics.GradientSums(ctx, x, ctx.InputArg(0), ctx.InputArg(2), ctx.InputArg(3));
        var coefficients = ctx.Scratch(4 * l.Channels * x.DType.SizeInBytes());
        ctx.Launch(CoefficientsKernel(type), l.Channels, ctx.InputArg(1), ctx.InputArg(3), ctx.InputArg(4), KernelArg.Pointer(sums),
            KernelArg.Pointer(coefficients), ctx.OutputArgAt(1), ctx.OutputArgAt(2), KernelArg.I64(l.Channels), KernelArg.I64(l.PerChannel),
            KernelArg.F64(((BatchNormBackwardOp)ctx.Node.Op).Eps));
        var n = x.Shape.ElementCount;
        ctx.Launch(ApplyKernel(type), n, ctx.InputArg(0), ctx.InputArg(2), KernelArg.Pointer(coefficients), ctx.OutputArg,
            KernelArg.I64(n), KernelArg.I64(l.Channels), KernelArg.I64(l.Plane));
    }

    private static CudaKernelSource CoefficientsKernel(KernelType type)
    {
        var t = type.C();
        KernelParameter[] parameters =
        [
            new($"const {t}* __restrict__", "gamma"), new("const double* __restrict__", "mean"), new("const double* __restrict__", "variance"),
            new("const double* __restrict__", "sums"), new($"{t}* __restrict__", "coefficients"), new($"{t}* __restrict__", "dgamma"),
            new($"{t}* __restrict__", "dbeta"), KernelTypes.Count, new("long long", "perChannel"), new("double", "eps"),
        ];
        var body = $$"""
                {{KernelTypes.IndexLoop}}
                {
                    const double count = (double)perChannel;
                    const double invStd = 1 / sqrt(variance[i] + eps);
                    const double a = (double)gamma[i] * invStd;
                    const double k = a * invStd * invStd * (sums[2 * i + 1] / count);
                    dbeta[i] = ({{t}})sums[2 * i];
                    dgamma[i] = ({{t}})(sums[2 * i + 1] / sqrt(variance[i] + eps));
                    coefficients[4 * i] = ({{t}})mean[i];
                    coefficients[4 * i + 1] = ({{t}})a;
                    coefficients[4 * i + 2] = ({{t}})k;
                    coefficients[4 * i + 3] = ({{t}})(sums[2 * i] / count);
                }
            """;
        return CudaKernelSource.Create($"sg_batch_norm_backward_coefficients_{type.Suffix()}", parameters, body);
    }

    private static CudaKernelSource ApplyKernel(KernelType type)
    {
        var t = type.C();
        KernelParameter[] parameters =
        [
            new($"const {t}* __restrict__", "x"), new($"const {t}* __restrict__", "dy"), new($"const {t}* __restrict__", "coefficients"),
            new($"{t}* __restrict__", "dx"), KernelTypes.Count, new("long long", "channels"), new("long long", "plane"),
        ];
        var body = $$"""
                {{KernelTypes.IndexLoop}}
                {
                    const {{t}}* k = coefficients + 4 * (i / plane % channels);
                    dx[i] = k[1] * (dy[i] - k[3]) - k[2] * (x[i] - k[0]);
                }
            """;
        return CudaKernelSource.Create($"sg_batch_norm_backward_apply_{type.Suffix()}", parameters, body);
    }
}
