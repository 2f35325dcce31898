using StaticGraph.Cuda.Kernels;
using StaticGraph.Cuda.Lowering;
using StaticGraph.Ops;

namespace StaticGraph.Cuda.Ops;

/// <summary>
/// Average-pooling input gradient: <c>sg_avg_pool2d_backward_*</c>, a gather with no atomics. One thread per input element
/// sums dy·(1/kernel²) over the windows containing it in row-major order, from zero: the CPU's order of additions.
/// </summary>
[CudaLoweringFor(typeof(AvgPool2dBackwardOp))]
internal sealed class AvgPool2dBackwardLowering : ICudaLowering
{
    public void Lower(LoweringContext ctx)
    {
        var op = (AvgPool2dBackwardOp)ctx.Node.Op;
        var (dy, dx) = (ctx.Node.Inputs[0], ctx.Node);
        var n = dx.Shape.ElementCount;
        ctx.Launch(Kernel(ctx.Type), n, [ctx.InputArg(0), ctx.OutputArg, KernelArg.I64(n), .. PoolKernels.GeometryArgs(dx.Shape, dy.Shape, op.Kernel, op.Window)]);
    }

    private static CudaKernelSource Kernel(KernelType type)
    {
        var t = type.C();
        var body = $$"""
                {{t}} scale = ({{t}})1 / ({{t}})(kernel * kernel);
                {{KernelTypes.IndexLoop}}
                {
                    {{PoolKernels.InputCoordinates}}
                    const {{t}}* grad = dy + plane * out_h * out_w;
                    long long oh0, oh1, ow0, ow1;
                    sg_pool_windows(ih, pad, kernel, stride, out_h, &oh0, &oh1);
                    sg_pool_windows(iw, pad, kernel, stride, out_w, &ow0, &ow1);
                    {{t}} sum = ({{t}})0;
                    for (long long oh = oh0; oh <= oh1; oh++)
                        for (long long ow = ow0; ow <= ow1; ow++) sum += grad[oh * out_w + ow] * scale;
                    dx[i] = sum;
                }
            """;
        return CudaKernelSource.Create($"sg_avg_pool2d_backward_{type.Suffix()}",
            [new($"const {t}* __restrict__", "dy"), new($"{t}* __restrict__", "dx"), KernelTypes.Count, .. PoolKernels.GeometryParameters],
            body, PoolKernels.Windows);
    }
}
