namespace StaticGraph.Backend.Cpu;

/// <summary>Fisher–Yates on one thread; the bit recipe is documented on <see cref="PermutationOp"/>.</summary>
[CpuKernelFor(typeof(PermutationOp))]
internal sealed unsafe class PermutationKernel(CpuKernelArgs args) : CpuKernel
{
    private readonly CpuTensor _y = args.Output;
    private readonly uint _stream = ((PermutationOp)args.Node.Op).Stream;

    public override void Run(CpuContext ctx)
    {
        var counter = new RandomCounter(ctx.Seed, _stream, (uint)ctx.Step);
        var a = _y.Ptr<int>();
        var n = (int)_y.Length;
        for (var k = 0; k < n; k++) a[k] = k;
        for (var i = n - 1; i >= 1; i--)
        {
            var w = counter.Bits((uint)i, 0);
            var j = RandomIntegers.Below(((ulong)w.X0 << 32) | w.X1, i + 1);
            (a[i], a[j]) = (a[j], a[i]);
        }
    }
}
