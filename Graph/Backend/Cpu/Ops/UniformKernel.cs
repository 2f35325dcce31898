using System.Numerics;

namespace StaticGraph.Backend.Cpu;

/// <summary>Uniform draws; the bit recipe is documented on <see cref="UniformOp"/>.</summary>
[CpuKernelFor(typeof(UniformOp))]
internal sealed class UniformKernel<T> : RandomElementwiseKernel<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly double _low;
    private readonly double _span;

    public UniformKernel(CpuKernelArgs args) : base(args)
    {
        var op = (UniformOp)args.Node.Op;
        _low = op.Low;
        _span = op.High - op.Low;
    }

    // low + span * u in one rounding, from the uniform of the element type's resolution.
    protected override T Draw(RandomCounter counter, uint element) =>
        T.CreateTruncating(Math.FusedMultiplyAdd(_span, UniformOfElementType(counter.Bits(element, 0)), _low));
}
