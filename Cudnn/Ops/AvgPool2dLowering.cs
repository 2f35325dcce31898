using StaticGraph.Cuda.Kernels;
using StaticGraph.Cuda.Lowering;
using StaticGraph.Ops;

namespace StaticGraph.Cuda.Ops;

/// <summary>
/// Average pooling: <c>sg_avg_pool2d_*</c>, one thread per output element summing its window's real elements in row-major
/// order and scaling by 1/(kernel²): padding counts in the divisor (count_include_pad), as on the CPU.
/// </summary>
[CudaLoweringFor(typeof(AvgPool2dOp))]
internal sealed class AvgPool2dLowering : ICudaLowering
{
    public void Lower(LoweringContext ctx)
    {
        var op = (AvgPool2dOp)ctx.Node.Op;
        var (x, y) = (ctx.Node.Inputs[0], ctx.Node);
        var n = y.Shape.ElementCount;
        ctx.Launch(Kernel(ctx.Type), n, [ctx.InputArg(0), ctx.OutputArg, KernelArg.I64(n), .. PoolKernels.GeometryArgs(x.Shape, y.Shape, op.Kernel, op.Window)]);
    }

    private static CudaKernelSource Kernel(KernelType type)
    {
        var t = type.C();
        var body = $$"""
                {{t}} scale = ({{t}})1 / ({{t}})(kernel * kernel);
                {{KernelTypes.IndexLoop}}
                {
                    {{PoolKernels.OutputCoordinates}}
                    const {{t}}* in = x + plane * height * width;
                    long long h0 = oh * stride - pad, w0 = ow * stride - pad;
                    long long hs = h0 < 0 ? 0 : h0, he = h0 + kernel < height ? h0 + kernel : height;
                    long long ws = w0 < 0 ? 0 : w0, we = w0 + kernel < width ? w0 + kernel : width;
                    {{t}} sum = ({{t}})0;
                    for (long long ih = hs; ih < he; ih++)
                        for (long long iw = ws; iw < we; iw++) sum += in[ih * width + iw];
                    y[i] = sum * scale;
                }
            """;
        return CudaKernelSource.Create($"sg_avg_pool2d_{type.Suffix()}",
            [new($"const {t}* __restrict__", "x"), new($"{t}* __restrict__", "y"), KernelTypes.Count, .. PoolKernels.GeometryParameters],
            body);
    }
}
