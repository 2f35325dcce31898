using StaticGraph.Cuda.Kernels;
using StaticGraph.Cuda.Lowering;

namespace StaticGraph.Cuda.Ops;

/// <summary>
/// The one kernel behind slice, pad, concat and transpose: one thread per element of a box of <c>extents</c>, written at
/// <c>y + Σ c·yStrides</c> and read from <c>x + Σ (c - before)·xStrides</c> when <c>0 ≤ c - before &lt; inside</c> on every
/// axis, else the fill value. Each op only chooses the strides and offsets, so all of them share one tested kernel.
/// </summary>
internal static class StridedCopyKernel
{
    /// <summary>The name suffix of the element types shape ops move: <c>f32</c>, <c>f64</c> or <c>i32</c>.</summary>
    public static string Suffix(DType dtype) => dtype switch
    {
        DType.F32 => "f32",
        DType.F64 => "f64",
        DType.I32 => "i32",
        _ => throw new NotSupportedException($"the CUDA kernels have no {dtype} variant"),
    };

    /// <summary>The kernel for elements of <paramref name="dtype"/>.</summary>
    public static CudaKernelSource Kernel(DType dtype)
    {
        var t = KernelTypes.CType(dtype);
        const string body = """
                for (long long i = (long long)blockIdx.x * blockDim.x + threadIdx.x; i < n; i += (long long)gridDim.x * blockDim.x)
                {
                    long long rest = i, xo = 0, yo = 0;
                    int inside_all = 1;
                    for (int d = rank - 1; d >= 0; d--)
                    {
                        long long c = rest % extents.d[d];
                        rest /= extents.d[d];
                        yo += c * y_strides.d[d];
                        long long s = c - before.d[d];
                        if (s < 0 || s >= inside.d[d]) inside_all = 0;
                        else xo += s * x_strides.d[d];
                    }
                    y[yo] = inside_all ? x[xo] : fill;
                }
            """;
        return CudaKernelSource.Create($"sg_strided_copy_{Suffix(dtype)}",
            [
                KernelTypes.Pointer(dtype, "x"), KernelTypes.Pointer(dtype, "y", isConst: false), KernelTypes.Count,
                new("int", "rank"), new("sg_dims", "extents"), new("sg_dims", "y_strides"), new("sg_dims", "x_strides"),
                new("sg_dims", "before"), new("sg_dims", "inside"), new(t, "fill"),
            ],
            body, KernelTypes.DimsHelper);
    }

    /// <summary>Launches the copy of one box; <paramref name="x"/> and <paramref name="y"/> already point at its origin.</summary>
    public static void Launch(LoweringContext ctx, DType dtype, DeviceAddress x, DeviceAddress y, IReadOnlyList<long> extents,
        IReadOnlyList<long> yStrides, IReadOnlyList<long> xStrides, IReadOnlyList<long> before, IReadOnlyList<long> inside, double fill = 0)
    {
        long n = 1;
        foreach (var e in extents) n *= e;
        var fillArg = dtype == DType.I32 ? KernelArg.I32(checked((int)fill)) : KernelArg.Scalar(KernelTypes.Of(dtype), fill);
        ctx.Launch(Kernel(dtype), n, KernelArg.Pointer(x), KernelArg.Pointer(y), KernelArg.I64(n), KernelArg.I32(extents.Count),
            KernelArg.Dims(extents), KernelArg.Dims(yStrides), KernelArg.Dims(xStrides), KernelArg.Dims(before), KernelArg.Dims(inside), fillArg);
    }

    /// <summary>The extents of <paramref name="shape"/> as longs.</summary>
    public static long[] Extents(Shape shape) => shape.Select(d => (long)d).ToArray();
}
