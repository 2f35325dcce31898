namespace StaticGraph.Backend.Cpu;

/// <summary>RICAP's four patches on one thread; the bit recipe is documented on <see cref="RicapLayoutOp"/>.</summary>
[CpuKernelFor(typeof(RicapLayoutOp))]
internal sealed unsafe class RicapLayoutKernel(CpuKernelArgs args) : CpuKernel
{
    private readonly RicapLayoutOp _op = (RicapLayoutOp)args.Node.Op;
    private readonly CpuTensor _boundary = args.Inputs[0], _layout = args.Output;

    public override void Run(CpuContext ctx)
    {
        int height = _op.Height, width = _op.Width;
        var w0 = (int)Math.Round(width * Fraction(0), MidpointRounding.ToEven);
        var h0 = (int)Math.Round(height * Fraction(1), MidpointRounding.ToEven);
        var counter = new RandomCounter(ctx.Seed, _op.Stream, (uint)ctx.Step);
        var row = _layout.Ptr<int>();
        for (var k = 0; k < RicapLayoutOp.Patches; k++, row += 6)
        {
            var (bottom, right) = (k >= 2, k % 2 == 1);
            int y0 = bottom ? h0 : 0, y1 = bottom ? height : h0;
            int x0 = right ? w0 : 0, x1 = right ? width : w0;
            var bits = counter.Bits((uint)k, 0);
            var sy = RandomIntegers.Below(bits.X0, height - (y1 - y0) + 1);
            var sx = RandomIntegers.Below(bits.X1, width - (x1 - x0) + 1);
            (row[0], row[1], row[2], row[3], row[4], row[5]) = (y0, x0, y1, x1, y0 - sy, x0 - sx);
        }
    }

    /// <summary>Boundary fraction i clamped to [0, 1], NaN read as 0.5.</summary>
    private double Fraction(int i)
    {
        var v = CpuValues.Get(_boundary, i);
        return double.IsNaN(v) ? 0.5 : Math.Clamp(v, 0, 1);
    }
}
