using StaticGraph.Cuda.Kernels;
using StaticGraph.Cuda.Lowering;
using StaticGraph.Ops;

namespace StaticGraph.Cuda.Ops;

/// <summary>
/// Translate: <c>sg_translate_*</c>, one thread per output element reading <c>x[.., h - ty, w - tx]</c> or zero, with the
/// image's offsets read at run time (the inverse passes sign -1, so one kernel serves both directions).
/// </summary>
[CudaLoweringFor(typeof(TranslateOp))]
internal sealed class TranslateLowering : ICudaLowering
{
    public void Lower(LoweringContext ctx)
    {
        var (x, offsets, y) = (ctx.Node.Inputs[0], ctx.Node.Inputs[1], ctx.Node);
        var shape = x.Shape;
        ctx.Launch(Kernel(y.DType), shape.ElementCount, ctx.InputArg(0), ctx.InputArg(1), ctx.OutputArg,
            KernelArg.I64(shape.ElementCount), KernelArg.I32(shape[^2]), KernelArg.I32(shape[^1]),
            KernelArg.I64(shape.Product(1, shape.Rank - 2)), KernelArg.I32(offsets.Shape[0] == 1 ? 0 : 1),
            KernelArg.I32(((TranslateOp)y.Op).Inverse ? -1 : 1));
    }

    private static CudaKernelSource Kernel(DType dtype)
    {
        var t = KernelTypes.CType(dtype);
        var body = $$"""
                {{KernelTypes.IndexLoop}}
                {
                    long long w = i % width, h = (i / width) % height, plane = i / ((long long)width * height);
                    long long row = per_image ? plane / planes_per_image : 0;
                    long long sh = h - sign * (long long)offsets[2 * row], sw = w - sign * (long long)offsets[2 * row + 1];
                    y[i] = (sh >= 0 && sh < height && sw >= 0 && sw < width) ? x[(plane * height + sh) * width + sw] : ({{t}})0;
                }
            """;
        return CudaKernelSource.Create($"sg_translate_{StridedCopyKernel.Suffix(dtype)}",
            [
                KernelTypes.Pointer(dtype, "x"), KernelTypes.Pointer(DType.I32, "offsets"), KernelTypes.Pointer(dtype, "y", isConst: false),
                KernelTypes.Count, new("int", "height"), new("int", "width"), new("long long", "planes_per_image"),
                new("int", "per_image"), new("int", "sign"),
            ],
            body);
    }
}
