using StaticGraph.Cuda.Kernels;
using StaticGraph.Cuda.Lowering;
using StaticGraph.Ops;

namespace StaticGraph.Cuda.Ops;

/// <summary>
/// Cutout and CutMix boxes: one thread per box, integers only except CutMix's sides (floor(H sqrt(1 - lam)) in double,
/// correctly rounded), so the boxes are the CPU's bit for bit. <c>sg_boxes_fixed</c> (centre anywhere, clipped),
/// <c>sg_boxes_inside</c> (wholly inside), <c>sg_boxes_area_&lt;lam type&gt;</c> (CutMix, sides from lam).
/// </summary>
[CudaLoweringFor(typeof(BoxesOp))]
internal sealed class BoxesLowering : ICudaLowering
{
    // Declared before the kernels that use them (static fields initialise in order).
    private static readonly KernelParameter[] Image = [new("int", "h"), new("int", "w")];

    private static readonly KernelHelper ClampHelper = new("clamp_ll",
        "SG_FN int sg_clamp_ll(long long v, int hi) { return (int)(v < 0 ? 0 : (v > hi ? hi : v)); }\n");

    public void Lower(LoweringContext ctx)
    {
        var op = (BoxesOp)ctx.Node.Op;
        KernelArg[] image = [KernelArg.I32(op.Height), KernelArg.I32(op.Width)];
        if (op.Sizing == BoxSizing.FixedSize)
        {
            var kernel = op.Inside ? Inside : Fixed;
            RandomDrawKernel.Launch(ctx, kernel, op.Count, [.. image, KernelArg.I32(op.Size)]);
        }
        else
            RandomDrawKernel.Launch(ctx, Area(ctx.Node.Inputs[0].DType), op.Count, [.. image, ctx.InputArg(0)]);
    }

    private static readonly CudaKernelSource Inside = RandomDrawKernel.Create("sg_boxes_inside", DType.I32, [.. Image, new("int", "size")],
        """
        const sg_u32x4 bits = sg_random_bits(seed, (unsigned int)i, 0u, stream, step);
        int* box = out + 4 * i;
        box[0] = sg_pick(bits.x0, h - size + 1);
        box[1] = sg_pick(bits.x1, w - size + 1);
        box[2] = box[0] + size;
        box[3] = box[1] + size;
        """, RandomDrawKernel.PickHelper);

    private static readonly CudaKernelSource Fixed = RandomDrawKernel.Create("sg_boxes_fixed", DType.I32, [.. Image, new("int", "size")],
        Centred("size", "size"), RandomDrawKernel.PickHelper, ClampHelper);

    private static CudaKernelSource Area(DType lam) => RandomDrawKernel.Create($"sg_boxes_area_{KernelTypes.Of(lam).Suffix()}", DType.I32,
        [.. Image, KernelTypes.Pointer(lam, "lam")],
        """
        /* lam clamped to [0, 1], NaN read as 1 (an empty box). */
        double l = (double)lam[i];
        l = l != l ? 1.0 : (l < 0.0 ? 0.0 : (l > 1.0 ? 1.0 : l));
        const double ratio = sqrt(1.0 - l);
        const int side_h = (int)floor((double)h * ratio), side_w = (int)floor((double)w * ratio);
        """ + "\n" + Centred("side_h", "side_w"), RandomDrawKernel.PickHelper, ClampHelper);

    /// <summary>Centre anywhere, box of the given sides around it, each end clipped to the image (64-bit: a side may be huge).</summary>
    private static string Centred(string sideH, string sideW) => $"""
        const sg_u32x4 bits = sg_random_bits(seed, (unsigned int)i, 0u, stream, step);
        int* box = out + 4 * i;
        const long long y0 = (long long)sg_pick(bits.x0, h) - {sideH} / 2;
        const long long x0 = (long long)sg_pick(bits.x1, w) - {sideW} / 2;
        box[0] = sg_clamp_ll(y0, h);
        box[1] = sg_clamp_ll(x0, w);
        box[2] = sg_clamp_ll(y0 + {sideH}, h);
        box[3] = sg_clamp_ll(x0 + {sideW}, w);
        """;
}
