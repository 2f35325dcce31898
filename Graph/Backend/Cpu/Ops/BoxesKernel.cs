namespace StaticGraph.Backend.Cpu;

/// <summary>Random Cutout and CutMix boxes, one Philox block per box; the bit recipe is documented on <see cref="BoxesOp"/>.</summary>
[CpuKernelFor(typeof(BoxesOp))]
internal sealed unsafe class BoxesKernel(CpuKernelArgs args) : CpuKernel
{
    private readonly BoxesOp _op = (BoxesOp)args.Node.Op;
    private readonly CpuTensor _boxes = args.Output;
    private readonly CpuTensor? _lambda = args.Inputs.Count > 0 ? args.Inputs[0] : null;

    // A handful of boxes per batch: one thread does them faster than a fork and join would.
    public override void Run(CpuContext ctx)
    {
        var counter = new RandomCounter(ctx.Seed, _op.Stream, (uint)ctx.Step);
        var box = _boxes.Ptr<int>();
        int h = _op.Height, w = _op.Width;
        for (var r = 0; r < _op.Count; r++, box += 4)
        {
            var bits = counter.Bits((uint)r, 0);
            if (_op.Sizing == BoxSizing.FixedSize && _op.Inside)
            {
                box[0] = RandomIntegers.Below(bits.X0, h - _op.Size + 1);
                box[1] = RandomIntegers.Below(bits.X1, w - _op.Size + 1);
                box[2] = box[0] + _op.Size;
                box[3] = box[1] + _op.Size;
                continue;
            }
            var (sideH, sideW) = _op.Sizing == BoxSizing.FixedSize ? (_op.Size, _op.Size) : AreaFractionSides(r);
            var y0 = RandomIntegers.Below(bits.X0, h) - sideH / 2;
            var x0 = RandomIntegers.Below(bits.X1, w) - sideW / 2;
            box[0] = Math.Clamp(y0, 0, h);
            box[1] = Math.Clamp(x0, 0, w);
            // long: a fixed side may exceed the image by any amount, and y0 + side must not overflow.
            box[2] = (int)Math.Clamp((long)y0 + sideH, 0, h);
            box[3] = (int)Math.Clamp((long)x0 + sideW, 0, w);
        }
    }

    /// <summary>CutMix's sides for row r: sqrt(1 - lam) of each image side, lam clamped to [0, 1] and NaN read as 1.</summary>
    private (int H, int W) AreaFractionSides(int r)
    {
        var lam = CpuValues.Get(_lambda!.Value, r);
        lam = double.IsNaN(lam) ? 1 : Math.Clamp(lam, 0, 1);
        var ratio = Math.Sqrt(1 - lam);
        return ((int)Math.Floor(_op.Height * ratio), (int)Math.Floor(_op.Width * ratio));
    }
}
