using StaticGraph.Cuda.Kernels;
using StaticGraph.Cuda.Lowering;
using StaticGraph.Ops;

namespace StaticGraph.Cuda.Ops;

/// <summary>
/// Box masks: <c>sg_box_mask_*</c>, one thread per mask element testing it against its box clipped to the image (0 inside
/// the half-open box, 1 outside; an empty box masks nothing), as the CPU does.
/// </summary>
[CudaLoweringFor(typeof(BoxMaskOp))]
internal sealed class BoxMaskLowering : ICudaLowering
{
    public void Lower(LoweringContext ctx)
    {
        var op = (BoxMaskOp)ctx.Node.Op;
        var n = ctx.Node.Shape.ElementCount;
        ctx.Launch(Kernel(ctx.Type), n, ctx.InputArg(0), ctx.OutputArg, KernelArg.I64(n), KernelArg.I32(op.Height), KernelArg.I32(op.Width));
    }

    private static CudaKernelSource Kernel(KernelType type)
    {
        var t = type.C();
        var body = $$"""
                {{KernelTypes.IndexLoop}}
                {
                    long long w = i % width, h = (i / width) % height, m = i / ((long long)width * height);
                    const int* box = boxes + 4 * m;
                    int y0 = min(max(box[0], 0), height), x0 = min(max(box[1], 0), width);
                    int y1 = min(max(box[2], 0), height), x1 = min(max(box[3], 0), width);
                    y[i] = (h >= y0 && h < y1 && w >= x0 && w < x1) ? ({{t}})0 : ({{t}})1;
                }
            """;
        return CudaKernelSource.Create($"sg_box_mask_{type.Suffix()}",
            [KernelTypes.Pointer(DType.I32, "boxes"), new($"{t}* __restrict__", "y"), KernelTypes.Count, new("int", "height"), new("int", "width")],
            body);
    }
}
