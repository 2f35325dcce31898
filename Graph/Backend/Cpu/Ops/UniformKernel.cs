using StaticGraph.Random;

namespace StaticGraph.Backend.Cpu;

/// <summary>Uniform draws; the bit recipe is documented on <see cref="UniformOp"/>.</summary>
[CpuKernelFor(typeof(UniformOp))]
internal sealed class UniformKernel : RandomElementwiseKernel
{
    private readonly double _low;
    private readonly double _span;

    public UniformKernel(CpuKernelArgs args) : base(args)
    {
        var op = (UniformOp)args.Node.Op;
        _low = op.Low;
        _span = op.High - op.Low;
    }

    protected override float DrawF32(RandomCounter counter, uint element)
    {
        var u = RandomStream.UniformF32(counter.Bits(element, 0).X0);
        return (float)Math.FusedMultiplyAdd(_span, u, _low);
    }

    protected override double DrawF64(RandomCounter counter, uint element)
    {
        var w = counter.Bits(element, 0);
        return Math.FusedMultiplyAdd(_span, RandomStream.UniformF64(w.X0, w.X1), _low);
    }
}
