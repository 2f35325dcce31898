using StaticGraph.Cuda.Kernels;
using StaticGraph.Cuda.Lowering;
using StaticGraph.Ops;

namespace StaticGraph.Cuda.Ops;

/// <summary>
/// Max-pooling input gradient: <c>sg_max_pool2d_backward_*</c>, a gather with no atomics. One thread per input element
/// visits the windows containing it in row-major order, recomputes each one's argmax from x, and sums the output
/// gradients of those it won, from zero: the CPU's order of additions, so the sums are bitwise equal.
/// </summary>
[CudaLoweringFor(typeof(MaxPool2dBackwardOp))]
internal sealed class MaxPool2dBackwardLowering : ICudaLowering
{
    public void Lower(LoweringContext ctx)
    {
        var op = (MaxPool2dBackwardOp)ctx.Node.Op;
        var (x, dy) = (ctx.Node.Inputs[0], ctx.Node.Inputs[1]);
        var n = x.Shape.ElementCount;
        ctx.Launch(Kernel(ctx.Type), n,
            [ctx.InputArg(0), ctx.InputArg(1), ctx.OutputArg, KernelArg.I64(n), .. PoolKernels.GeometryArgs(x.Shape, dy.Shape, op.Kernel, op.Window)]);
    }

    private static CudaKernelSource Kernel(KernelType type)
    {
        var t = type.C();
        var body = $$"""
                {{KernelTypes.IndexLoop}}
                {
                    {{PoolKernels.InputCoordinates}}
                    const {{t}}* in = x + plane * height * width;
                    const {{t}}* grad = dy + plane * out_h * out_w;
                    long long oh0, oh1, ow0, ow1;
                    sg_pool_windows(ih, pad, kernel, stride, out_h, &oh0, &oh1);
                    sg_pool_windows(iw, pad, kernel, stride, out_w, &ow0, &ow1);
                    {{t}} sum = ({{t}})0;
                    for (long long oh = oh0; oh <= oh1; oh++)
                        for (long long ow = ow0; ow <= ow1; ow++)
                            if (sg_pool_argmax_{{type.Suffix()}}(in, oh, ow, height, width, kernel, stride, pad) == ih * width + iw)
                                sum += grad[oh * out_w + ow];
                    dx[i] = sum;
                }
            """;
        return CudaKernelSource.Create($"sg_max_pool2d_backward_{type.Suffix()}",
            [new($"const {t}* __restrict__", "x"), new($"const {t}* __restrict__", "dy"), new($"{t}* __restrict__", "dx"), KernelTypes.Count, .. PoolKernels.GeometryParameters],
            body, PoolKernels.ArgMax(type), PoolKernels.Windows);
    }
}
