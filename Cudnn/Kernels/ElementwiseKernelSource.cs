using StaticGraph.Ops;

namespace StaticGraph.Cuda.Kernels;

/// <summary>
/// Elementwise kernels, one per <see cref="UnaryFunction"/> and <see cref="BinaryFunction"/> and element type, with the CPU
/// backend's semantics (max/min pick <c>a</c> on ties, comparisons give 1 or 0, relu keeps NaN).
/// </summary>
public static class ElementwiseKernelSource
{
    /// <summary>The largest rank the broadcasting binary kernel takes.</summary>
    public const int MaxRank = 6;

    /// <summary>
    /// <c>y[i] = f(x[i])</c> for <c>i &lt; n</c> (grid-stride loop).
    /// Arguments: <c>const T* x, T* y, long long n</c>.
    /// </summary>
    public static CudaKernelSource Unary(UnaryFunction function, KernelType type)
    {
        var t = type.C();
        var name = $"sg_unary_{function.ToString().ToLowerInvariant()}_{type.Suffix()}";
        var f = type == KernelType.F32 ? "f" : "";
        var expression = function switch
        {
            UnaryFunction.Neg => "-v",
            UnaryFunction.Exp => $"exp{f}(v)",
            UnaryFunction.Log => $"log{f}(v)",
            UnaryFunction.Sqrt => $"sqrt{f}(v)",
            UnaryFunction.Reciprocal => $"({t})1 / v",
            UnaryFunction.Square => "v * v",
            UnaryFunction.Abs => $"fabs{f}(v)",
            UnaryFunction.Relu => $"(v > ({t})0 || v != v) ? v : ({t})0",
            UnaryFunction.Step => $"v > ({t})0 ? ({t})1 : ({t})0",
            UnaryFunction.Sign => $"v > ({t})0 ? ({t})1 : (v < ({t})0 ? ({t})-1 : ({t})0)",
            UnaryFunction.Sigmoid => $"({t})1 / (({t})1 + exp{f}(-v))",
            UnaryFunction.Tanh => $"tanh{f}(v)",
            _ => throw new ArgumentOutOfRangeException(nameof(function), function, "no CUDA kernel for this function"),
        };
        var source = $$"""
            extern "C" __global__ void {{name}}(const {{t}}* __restrict__ x, {{t}}* __restrict__ y, long long n)
            {
                {{KernelTypes.IndexLoop}}
                {
                    const {{t}} v = x[i];
                    y[i] = {{expression}};
                }
            }

            """;
        return new CudaKernelSource(name, source);
    }

    /// <summary>
    /// <c>y[i] = f(a[ia], b[ib])</c> with NumPy broadcasting: the output (contiguous, <c>n</c> elements) has shape
    /// <c>shape[0..rank)</c>; each operand is read through its own element strides, 0 along broadcast dimensions.
    /// Arguments: <c>const T* a, const T* b, T* y, long long n, int rank, sg_dims shape, sg_dims aStrides, sg_dims bStrides</c>,
    /// where <c>sg_dims</c> is a struct of <see cref="MaxRank"/> <c>long long</c> passed by value.
    /// </summary>
    public static CudaKernelSource Binary(BinaryFunction function, KernelType type)
    {
        var t = type.C();
        var name = $"sg_binary_{function.ToString().ToLowerInvariant()}_{type.Suffix()}";
        var expression = function switch
        {
            BinaryFunction.Add => "p + q",
            BinaryFunction.Sub => "p - q",
            BinaryFunction.Mul => "p * q",
            BinaryFunction.Div => "p / q",
            BinaryFunction.Max => "p >= q ? p : q",
            BinaryFunction.Min => "p <= q ? p : q",
            BinaryFunction.Greater => $"p > q ? ({t})1 : ({t})0",
            BinaryFunction.Equal => $"p == q ? ({t})1 : ({t})0",
            BinaryFunction.ReluBackward => $"p > ({t})0 ? q : ({t})0",
            _ => throw new ArgumentOutOfRangeException(nameof(function), function, "no CUDA kernel for this function"),
        };
        var source = $$"""
            typedef struct { long long d[{{MaxRank}}]; } sg_dims;

            extern "C" __global__ void {{name}}(const {{t}}* __restrict__ a, const {{t}}* __restrict__ b, {{t}}* __restrict__ y, long long n,
                int rank, sg_dims shape, sg_dims aStrides, sg_dims bStrides)
            {
                {{KernelTypes.IndexLoop}}
                {
                    long long rest = i, ia = 0, ib = 0;
                    for (int k = rank - 1; k >= 0; --k)
                    {
                        const long long extent = shape.d[k];
                        const long long c = rest % extent;
                        rest /= extent;
                        ia += c * aStrides.d[k];
                        ib += c * bStrides.d[k];
                    }
                    const {{t}} p = a[ia], q = b[ib];
                    y[i] = {{expression}};
                }
            }

            """;
        return new CudaKernelSource(name, source);
    }
}
