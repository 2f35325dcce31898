using StaticGraph.Cuda.Kernels;
using StaticGraph.Cuda.Lowering;
using StaticGraph.Ops;

namespace StaticGraph.Cuda.Ops;

/// <summary>
/// RICAP's layout: <c>sg_ricap_layout_&lt;boundary type&gt;</c>, one thread per patch (4), each recomputing the boundary
/// (rint: half to even, like the CPU's Math.Round) and picking its crop origin from block (k, 0, stream, step) with
/// integers only, so the layout is the CPU's bit for bit.
/// </summary>
[CudaLoweringFor(typeof(RicapLayoutOp))]
internal sealed class RicapLayoutLowering : ICudaLowering
{
    private static readonly KernelHelper FractionHelper = new("ricap_fraction",
        "SG_FN double sg_ricap_fraction(double v) { return v != v ? 0.5 : (v < 0.0 ? 0.0 : (v > 1.0 ? 1.0 : v)); }\n");

    private static CudaKernelSource Kernel(DType boundary) => RandomDrawKernel.Create(
        $"sg_ricap_layout_{KernelTypes.Of(boundary).Suffix()}", DType.I32,
        [new("int", "height"), new("int", "width"), KernelTypes.Pointer(boundary, "boundary")],
        """
        /* The boundary fractions (width, then height), clamped to [0, 1] with NaN read as 0.5. */
        const int w0 = (int)rint((double)width * sg_ricap_fraction((double)boundary[0]));
        const int h0 = (int)rint((double)height * sg_ricap_fraction((double)boundary[1]));
        const int bottom = i >= 2, right = i % 2 == 1;
        const int y0 = bottom ? h0 : 0, y1 = bottom ? height : h0;
        const int x0 = right ? w0 : 0, x1 = right ? width : w0;
        const sg_u32x4 bits = sg_random_bits(seed, (unsigned int)i, 0u, stream, step);
        const int sy = sg_pick(bits.x0, height - (y1 - y0) + 1);
        const int sx = sg_pick(bits.x1, width - (x1 - x0) + 1);
        int* row = out + 6 * i;
        row[0] = y0; row[1] = x0; row[2] = y1; row[3] = x1; row[4] = y0 - sy; row[5] = x0 - sx;
        """, RandomDrawKernel.PickHelper, FractionHelper);

    public void Lower(LoweringContext ctx)
    {
        var op = (RicapLayoutOp)ctx.Node.Op;
        RandomDrawKernel.Launch(ctx, Kernel(ctx.Node.Inputs[0].DType), RicapLayoutOp.Patches,
            KernelArg.I32(op.Height), KernelArg.I32(op.Width), ctx.InputArg(0));
    }
}
