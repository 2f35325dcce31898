using StaticGraph.Random;

namespace StaticGraph.Backend.Cpu;

/// <summary>Bernoulli draws; the bit recipe is documented on <see cref="BernoulliOp"/>.</summary>
[CpuKernelFor(typeof(BernoulliOp))]
internal sealed class BernoulliKernel(CpuKernelArgs args) : RandomElementwiseKernel(args)
{
    private readonly double _p = ((BernoulliOp)args.Node.Op).P;

    // u is compared as a double so that p is never rounded to f32 (which could move it across a draw).
    protected override float DrawF32(RandomCounter counter, uint element) =>
        (double)RandomStream.UniformF32(counter.Bits(element, 0).X0) < _p ? 1f : 0f;

    protected override double DrawF64(RandomCounter counter, uint element)
    {
        var w = counter.Bits(element, 0);
        return RandomStream.UniformF64(w.X0, w.X1) < _p ? 1.0 : 0.0;
    }
}
