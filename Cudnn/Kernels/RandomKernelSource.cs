namespace StaticGraph.Cuda.Kernels;

/// <summary>
/// Uniform and Bernoulli kernels with the CPU backend's bit recipe: element <c>i</c> uses the Philox block at counter
/// (i, draw 0, stream, step) under key = seed; f32 uses U24 of word 0, f64 U53 of words 0 and 1.
/// </summary>
public static class RandomKernelSource
{
    /// <summary>
    /// <c>y[i] = low + span*u</c> by one fused multiply-add in double (rounded once to f32 for f32 output), as on the CPU.
    /// Arguments: <c>T* y, long long n, unsigned long long seed, unsigned int stream, unsigned int step, double low, double span</c>.
    /// </summary>
    public static CudaKernelSource Uniform(KernelType type)
    {
        var t = type.C();
        var name = $"sg_uniform_{type.Suffix()}";
        var draw = type == KernelType.F32
            ? "(float)fma(span, (double)sg_uniform_f32(w.x0), low)"
            : "fma(span, sg_uniform_f64(w.x0, w.x1), low)";
        return new CudaKernelSource(name, PhiloxSource.Helpers + $$"""
            extern "C" __global__ void {{name}}({{t}}* __restrict__ y, long long n, unsigned long long seed, unsigned int stream, unsigned int step,
                double low, double span)
            {
                {{KernelTypes.IndexLoop}}
                {
                    const sg_u32x4 w = sg_random_bits(seed, (unsigned int)i, 0u, stream, step);
                    y[i] = {{draw}};
                }
            }

            """);
    }

    /// <summary>
    /// <c>y[i] = 1</c> with probability <c>p</c>, else 0; u is compared in double so that p is never rounded.
    /// Arguments: <c>T* y, long long n, unsigned long long seed, unsigned int stream, unsigned int step, double p</c>.
    /// </summary>
    public static CudaKernelSource Bernoulli(KernelType type)
    {
        var t = type.C();
        var name = $"sg_bernoulli_{type.Suffix()}";
        var u = type == KernelType.F32 ? "(double)sg_uniform_f32(w.x0)" : "sg_uniform_f64(w.x0, w.x1)";
        return new CudaKernelSource(name, PhiloxSource.Helpers + $$"""
            extern "C" __global__ void {{name}}({{t}}* __restrict__ y, long long n, unsigned long long seed, unsigned int stream, unsigned int step,
                double p)
            {
                {{KernelTypes.IndexLoop}}
                {
                    const sg_u32x4 w = sg_random_bits(seed, (unsigned int)i, 0u, stream, step);
                    y[i] = {{u}} < p ? ({{t}})1 : ({{t}})0;
                }
            }

            """);
    }
}
