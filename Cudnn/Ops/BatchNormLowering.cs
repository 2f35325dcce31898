using StaticGraph.Cuda.Kernels;
using StaticGraph.Cuda.Lowering;
using StaticGraph.Ops;

namespace StaticGraph.Cuda.Ops;

/// <summary>
/// Batch normalisation in the CPU kernel's steps. The statistics outputs (doubles per channel) get the batch moments in a
/// training program (<see cref="ChannelStatistics"/>) or the running statistics in an inference program
/// (<c>sg_batch_norm_running_T</c> copies them); <c>sg_batch_norm_coefficients_T</c> then rounds, per channel, the mean
/// and <c>gamma / sqrt(var + eps)</c> (in double) to the element type, and <c>sg_batch_norm_apply_T</c> computes
/// <c>(x - mean) * scale + beta</c> per element.
/// </summary>
[CudaLoweringFor(typeof(BatchNormOp))]
internal sealed class BatchNormLowering : ICudaLowering
{
    public void Lower(LoweringContext ctx)
    {
        var x = ctx.Node.Inputs[0];
        var l = ChannelStatistics.Layout.Of(x.Shape);
        var type = ctx.Type;
        var (mean, variance) = (ctx.OutputAt(1), ctx.OutputAt(2));
        if (ctx.Mode == ProgramMode.Training)
            ChannelStatistics.Moments(ctx, x, ctx.InputArg(0), mean, variance);
        else
            ctx.Launch(RunningKernel(type), l.Channels, ctx.InputArg(3), ctx.InputArg(4), KernelArg.Pointer(mean), KernelArg.Pointer(variance), KernelArg.I64(l.Channels));
        var coefficients = ctx.Scratch(2 * l.Channels * x.DType.SizeInBytes());
        ctx.Launch(CoefficientsKernel(type), l.Channels, ctx.InputArg(1), KernelArg.Pointer(mean), KernelArg.Pointer(variance), KernelArg.Pointer(coefficients),
            KernelArg.I64(l.Channels), KernelArg.F64(((BatchNormOp)ctx.Node.Op).Eps));
        var n = x.Shape.ElementCount;
        ctx.Launch(ApplyKernel(type), n, ctx.InputArg(0), KernelArg.Pointer(coefficients), ctx.InputArg(2), ctx.OutputArg,
            KernelArg.I64(n), KernelArg.I64(l.Channels), KernelArg.I64(l.Plane));
    }

    private static CudaKernelSource RunningKernel(KernelType type)
    {
        var t = type.C();
        KernelParameter[] parameters =
        [
            new($"const {t}* __restrict__", "runningMean"), new($"const {t}* __restrict__", "runningVar"), new("double* __restrict__", "mean"),
            new("double* __restrict__", "variance"), KernelTypes.Count,
        ];
        var body = $$"""
                {{KernelTypes.IndexLoop}}
                {
                    mean[i] = (double)runningMean[i];
                    variance[i] = (double)runningVar[i];
                }
            """;
        return CudaKernelSource.Create($"sg_batch_norm_running_{type.Suffix()}", parameters, body);
    }

    private static CudaKernelSource CoefficientsKernel(KernelType type)
    {
        var t = type.C();
        KernelParameter[] parameters =
        [
            new($"const {t}* __restrict__", "gamma"), new("const double* __restrict__", "mean"), new("const double* __restrict__", "variance"),
            new($"{t}* __restrict__", "coefficients"), KernelTypes.Count, new("double", "eps"),
        ];
        var body = $$"""
                {{KernelTypes.IndexLoop}}
                {
                    coefficients[2 * i] = ({{t}})mean[i];
                    coefficients[2 * i + 1] = ({{t}})((double)gamma[i] / sqrt(variance[i] + eps));
                }
            """;
        return CudaKernelSource.Create($"sg_batch_norm_coefficients_{type.Suffix()}", parameters, body);
    }

    private static CudaKernelSource ApplyKernel(KernelType type)
    {
        var t = type.C();
        KernelParameter[] parameters =
        [
            new($"const {t}* __restrict__", "x"), new($"const {t}* __restrict__", "coefficients"), new($"const {t}* __restrict__", "beta"),
            new($"{t}* __restrict__", "y"), KernelTypes.Count, new("long long", "channels"), new("long long", "plane"),
        ];
        var body = $$"""
                {{KernelTypes.IndexLoop}}
                {
                    const long long c = i / plane % channels;
                    y[i] = (x[i] - coefficients[2 * c]) * coefficients[2 * c + 1] + beta[c];
                }
            """;
        return CudaKernelSource.Create($"sg_batch_norm_apply_{type.Suffix()}", parameters, body);
    }
}
