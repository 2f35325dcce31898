using System.Numerics;
using StaticGraph.Random;

namespace StaticGraph.Backend.Cpu;

/// <summary>Normal draws by Box–Muller; the bit recipe is documented on <see cref="NormalOp"/>.</summary>
[CpuKernelFor(typeof(NormalOp))]
internal sealed class NormalKernel<T>(CpuKernelArgs args) : RandomElementwiseKernel<T>(args)
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly double _mean = ((NormalOp)args.Node.Op).Mean;
    private readonly double _std = ((NormalOp)args.Node.Op).Std;

    // One recipe for both dtypes (f32 rounds the double), so an f32 model and its f64 reference draw alike.
    protected override T Draw(RandomCounter counter, uint element) =>
        T.CreateTruncating(Math.FusedMultiplyAdd(_std, RandomStream.Normal(counter.Bits(element, 0)), _mean));
}
