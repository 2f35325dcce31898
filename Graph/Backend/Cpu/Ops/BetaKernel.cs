using System.Numerics;

namespace StaticGraph.Backend.Cpu;

/// <summary>Beta draws via two Gamma draws; the bit recipe is documented on <see cref="BetaOp"/>.</summary>
[CpuKernelFor(typeof(BetaOp))]
internal sealed class BetaKernel<T>(CpuKernelArgs args) : RandomElementwiseKernel<T>(args)
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly BetaSampler _sampler = new(((BetaOp)args.Node.Op).Alpha, ((BetaOp)args.Node.Op).BetaShape);

    // Computed in double for both dtypes and rounded once, like the normal draws.
    protected override T Draw(RandomCounter counter, uint element) => T.CreateTruncating(_sampler.Draw(counter, element));
}
