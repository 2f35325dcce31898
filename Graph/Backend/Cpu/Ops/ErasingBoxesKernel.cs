using StaticGraph.Random;

namespace StaticGraph.Backend.Cpu;

/// <summary>Random Erasing rectangles, one row per image on one thread; the bit recipe is documented on <see cref="ErasingBoxesOp"/>.</summary>
[CpuKernelFor(typeof(ErasingBoxesOp))]
internal sealed unsafe class ErasingBoxesKernel(CpuKernelArgs args) : CpuKernel
{
    private const double TwoToMinus32 = 1.0 / 4294967296.0;
    private readonly ErasingBoxesOp _op = (ErasingBoxesOp)args.Node.Op;
    private readonly CpuTensor _boxes = args.Output;

    public override void Run(CpuContext ctx)
    {
        var counter = new RandomCounter(ctx.Seed, _op.Stream, (uint)ctx.Step);
        var box = _boxes.Ptr<int>();
        int h = _op.Height, w = _op.Width;
        var imageArea = (double)h * w;
        var areaSpan = _op.AreaMax - _op.AreaMin;
        var aspectSpan = 1 / _op.MinAspect - _op.MinAspect;
        for (var r = 0; r < _op.Count; r++, box += 4)
        {
            box[0] = box[1] = box[2] = box[3] = 0;
            var decide = counter.Bits((uint)r, 0);
            if (!(RandomStream.UniformF64(decide.X0, decide.X1) < _op.Probability)) continue;
            for (var k = 0; k < _op.MaxAttempts; k++)
            {
                var bits = counter.Bits((uint)r, (uint)k + 1);
                var fraction = _op.AreaMin + areaSpan * (bits.X0 * TwoToMinus32);
                var aspect = _op.MinAspect + aspectSpan * (bits.X1 * TwoToMinus32);
                var area = fraction * imageArea;
                var sideH = Math.Floor(Math.Sqrt(area * aspect));
                var sideW = Math.Floor(Math.Sqrt(area / aspect));
                if (!(sideH >= 1 && sideH < h && sideW >= 1 && sideW < w)) continue;
                var (eh, ew) = ((int)sideH, (int)sideW);
                box[0] = RandomIntegers.Below(bits.X2, h - eh + 1);
                box[1] = RandomIntegers.Below(bits.X3, w - ew + 1);
                box[2] = box[0] + eh;
                box[3] = box[1] + ew;
                break;
            }
        }
    }
}
