using System.Numerics;

namespace StaticGraph.Backend.Cpu;

/// <summary>Bernoulli draws; the bit recipe is documented on <see cref="BernoulliOp"/>.</summary>
[CpuKernelFor(typeof(BernoulliOp))]
internal sealed class BernoulliKernel<T>(CpuKernelArgs args) : RandomElementwiseKernel<T>(args)
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly double _p = ((BernoulliOp)args.Node.Op).P;

    // u is compared as a double so that p is never rounded to f32 (which could move it across a draw).
    protected override T Draw(RandomCounter counter, uint element) =>
        UniformOfElementType(counter.Bits(element, 0)) < _p ? T.One : T.Zero;
}
