using StaticGraph.Cuda.Kernels;
using StaticGraph.Cuda.Lowering;
using StaticGraph.Ops;

namespace StaticGraph.Cuda.Ops;

/// <summary>
/// Random Erasing rectangles: <c>sg_erasing_boxes</c>, one thread per image running the CPU's decide-then-attempt loop
/// (draw 0 decides, attempt k reads draw k + 1) in double with correctly rounded operations only (+, *, /, sqrt, floor),
/// so the rectangles are the CPU's bit for bit. The spans and the image area are computed here as the CPU computes them.
/// </summary>
[CudaLoweringFor(typeof(ErasingBoxesOp))]
internal sealed class ErasingBoxesLowering : ICudaLowering
{
    private static readonly CudaKernelSource Kernel = RandomDrawKernel.Create("sg_erasing_boxes", DType.I32,
        [
            new("int", "h"), new("int", "w"), new("double", "p"), new("double", "area_min"), new("double", "area_span"),
            new("double", "min_aspect"), new("double", "aspect_span"), new("double", "image_area"), new("int", "attempts"),
        ],
        """
        int* box = out + 4 * i;
        box[0] = box[1] = box[2] = box[3] = 0;
        const sg_u32x4 decide = sg_random_bits(seed, (unsigned int)i, 0u, stream, step);
        if (!(sg_uniform_f64(decide.x0, decide.x1) < p)) continue;
        for (int k = 0; k < attempts; ++k)
        {
            const sg_u32x4 bits = sg_random_bits(seed, (unsigned int)i, (unsigned int)k + 1u, stream, step);
            const double fraction = area_min + area_span * ((double)bits.x0 * (1.0 / 4294967296.0));
            const double aspect = min_aspect + aspect_span * ((double)bits.x1 * (1.0 / 4294967296.0));
            const double area = fraction * image_area;
            const double side_h = floor(sqrt(area * aspect));
            const double side_w = floor(sqrt(area / aspect));
            if (!(side_h >= 1.0 && side_h < (double)h && side_w >= 1.0 && side_w < (double)w)) continue;
            const int eh = (int)side_h, ew = (int)side_w;
            box[0] = sg_pick(bits.x2, h - eh + 1);
            box[1] = sg_pick(bits.x3, w - ew + 1);
            box[2] = box[0] + eh;
            box[3] = box[1] + ew;
            break;
        }
        """, RandomDrawKernel.PickHelper);

    public void Lower(LoweringContext ctx)
    {
        var op = (ErasingBoxesOp)ctx.Node.Op;
        RandomDrawKernel.Launch(ctx, Kernel, op.Count,
            KernelArg.I32(op.Height), KernelArg.I32(op.Width), KernelArg.F64(op.Probability),
            KernelArg.F64(op.AreaMin), KernelArg.F64(op.AreaMax - op.AreaMin),
            KernelArg.F64(op.MinAspect), KernelArg.F64(1 / op.MinAspect - op.MinAspect),
            KernelArg.F64((double)op.Height * op.Width), KernelArg.I32(op.MaxAttempts));
    }
}
