namespace StaticGraph.Backend.Cpu;

/// <summary>Beta draws via two Gamma draws; the bit recipe is documented on <see cref="BetaOp"/>.</summary>
[CpuKernelFor(typeof(BetaOp))]
internal sealed class BetaKernel(CpuKernelArgs args) : RandomElementwiseKernel(args)
{
    private readonly BetaSampler _sampler = new(((BetaOp)args.Node.Op).Alpha, ((BetaOp)args.Node.Op).BetaShape);

    // Computed in double for both dtypes and rounded once, like the normal draws.
    protected override float DrawF32(RandomCounter counter, uint element) => (float)_sampler.Draw(counter, element);

    protected override double DrawF64(RandomCounter counter, uint element) => _sampler.Draw(counter, element);
}
