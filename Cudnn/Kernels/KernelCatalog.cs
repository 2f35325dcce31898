using StaticGraph.Ops;

namespace StaticGraph.Cuda.Kernels;

/// <summary>Every kernel the generators produce, for compiling them all (tests, warm-up).</summary>
public static class KernelCatalog
{
    /// <summary>All generated kernels: unary, binary, random and SGD, for f32 and f64.</summary>
    public static IEnumerable<CudaKernelSource> All()
    {
        foreach (var type in Enum.GetValues<KernelType>())
        {
            foreach (var f in Enum.GetValues<UnaryFunction>()) yield return ElementwiseKernelSource.Unary(f, type);
            foreach (var f in Enum.GetValues<BinaryFunction>()) yield return ElementwiseKernelSource.Binary(f, type);
            yield return RandomKernelSource.Uniform(type);
            yield return RandomKernelSource.Bernoulli(type);
            yield return SgdKernelSource.Velocity(type);
            yield return SgdKernelSource.Param(type, nesterov: false);
            yield return SgdKernelSource.Param(type, nesterov: true);
        }
    }
}
