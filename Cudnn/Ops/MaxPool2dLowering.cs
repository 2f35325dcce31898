using StaticGraph.Cuda.Kernels;
using StaticGraph.Cuda.Lowering;
using StaticGraph.Ops;

namespace StaticGraph.Cuda.Ops;

/// <summary>Max pooling: <c>sg_max_pool2d_*</c>, one thread per output element taking its window's first maximum (NaN wins).</summary>
[CudaLoweringFor(typeof(MaxPool2dOp))]
internal sealed class MaxPool2dLowering : ICudaLowering
{
    public void Lower(LoweringContext ctx)
    {
        var op = (MaxPool2dOp)ctx.Node.Op;
        var (x, y) = (ctx.Node.Inputs[0], ctx.Node);
        var n = y.Shape.ElementCount;
        ctx.Launch(Kernel(ctx.Type), n, [ctx.InputArg(0), ctx.OutputArg, KernelArg.I64(n), .. PoolKernels.GeometryArgs(x.Shape, y.Shape, op.Kernel, op.Window)]);
    }

    private static CudaKernelSource Kernel(KernelType type)
    {
        var t = type.C();
        var body = $$"""
                {{KernelTypes.IndexLoop}}
                {
                    {{PoolKernels.OutputCoordinates}}
                    const {{t}}* in = x + plane * height * width;
                    y[i] = in[sg_pool_argmax_{{type.Suffix()}}(in, oh, ow, height, width, kernel, stride, pad)];
                }
            """;
        return CudaKernelSource.Create($"sg_max_pool2d_{type.Suffix()}",
            [new($"const {t}* __restrict__", "x"), new($"{t}* __restrict__", "y"), KernelTypes.Count, .. PoolKernels.GeometryParameters],
            body, PoolKernels.ArgMax(type));
    }
}
