namespace StaticGraph.Cuda.Kernels;

/// <summary>
/// The fused SGD updates with the CPU backend's arithmetic, operation for operation (compiled without contraction, so the
/// bits match): velocity <c>v' = m*v + (g + wd*p)</c>; parameter <c>p' = p - lr*v'</c>, or with Nesterov
/// <c>p' = p - lr*(g + wd*p + m*v')</c>. The learning rate is read from device memory, so that a captured graph sees each step's.
/// </summary>
public static class SgdKernelSource
{
    /// <summary>Arguments: <c>const T* v, const T* g, const T* p, T* y, long long n, T momentum, T weightDecay</c>.</summary>
    public static CudaKernelSource Velocity(KernelType type)
    {
        var t = type.C();
        var name = $"sg_sgd_velocity_{type.Suffix()}";
        return new CudaKernelSource(name, $$"""
            extern "C" __global__ void {{name}}(const {{t}}* __restrict__ v, const {{t}}* __restrict__ g, const {{t}}* __restrict__ p,
                {{t}}* __restrict__ y, long long n, {{t}} momentum, {{t}} weightDecay)
            {
                {{KernelTypes.IndexLoop}}
                    y[i] = momentum * v[i] + (g[i] + weightDecay * p[i]);
            }

            """);
    }

    /// <summary>Arguments: <c>const T* p, const T* g, const T* v, const T* lr, T* y, long long n, T momentum, T weightDecay</c>.</summary>
    public static CudaKernelSource Param(KernelType type, bool nesterov)
    {
        var t = type.C();
        var name = $"sg_sgd_param_{(nesterov ? "nesterov" : "plain")}_{type.Suffix()}";
        var update = nesterov ? "p[i] - rate * (g[i] + weightDecay * p[i] + momentum * v[i])" : "p[i] - rate * v[i]";
        return new CudaKernelSource(name, $$"""
            extern "C" __global__ void {{name}}(const {{t}}* __restrict__ p, const {{t}}* __restrict__ g, const {{t}}* __restrict__ v,
                const {{t}}* __restrict__ lr, {{t}}* __restrict__ y, long long n, {{t}} momentum, {{t}} weightDecay)
            {
                const {{t}} rate = *lr;
                {{KernelTypes.IndexLoop}}
                    y[i] = {{update}};
            }

            """);
    }
}
