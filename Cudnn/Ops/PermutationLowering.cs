using StaticGraph.Cuda.Kernels;
using StaticGraph.Cuda.Lowering;
using StaticGraph.Ops;

namespace StaticGraph.Cuda.Ops;

/// <summary>
/// A random permutation: <c>sg_permutation</c>, ONE thread running the CPU's Fisher–Yates (the swaps are sequential, and
/// n is a batch size), swap i taking j = __umul64hi(x0:x1, i + 1) from the block at counter (i, 0, stream, step), so the
/// permutation is the CPU's bit for bit.
/// </summary>
[CudaLoweringFor(typeof(PermutationOp))]
internal sealed class PermutationLowering : ICudaLowering
{
    private static readonly CudaKernelSource Kernel = RandomDrawKernel.Create("sg_permutation", DType.I32, [new("int", "count")],
        """
        /* n is 1: the grid-stride loop's single index runs the whole shuffle. */
        for (int k = 0; k < count; ++k) out[k] = k;
        for (int m = count - 1; m >= 1; --m)
        {
            const sg_u32x4 w = sg_random_bits(seed, (unsigned int)m, 0u, stream, step);
            const unsigned long long r = ((unsigned long long)w.x0 << 32) | w.x1;
            const int j = (int)__umul64hi(r, (unsigned long long)(m + 1));
            const int t = out[m]; out[m] = out[j]; out[j] = t;
        }
        """);

    public void Lower(LoweringContext ctx) =>
        RandomDrawKernel.Launch(ctx, Kernel, 1, KernelArg.I32(((PermutationOp)ctx.Node.Op).N));
}
