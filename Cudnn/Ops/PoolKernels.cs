using StaticGraph.Cuda.Kernels;
using StaticGraph.Cuda.Lowering;
using StaticGraph.Ops;

namespace StaticGraph.Cuda.Ops;

/// <summary>
/// What the four pooling kernels share: the geometry parameters (passed as arguments, so one kernel serves every shape),
/// the window argmax with the CPU's tie-breaking, and the range of windows that contain an input element (the backward
/// kernels gather over it instead of scattering with atomics).
/// </summary>
internal static class PoolKernels
{
    /// <summary>The geometry parameters, after the pointers and the count.</summary>
    public static KernelParameter[] GeometryParameters { get; } =
    [
        new("int", "height"), new("int", "width"), new("int", "out_h"), new("int", "out_w"),
        new("int", "kernel"), new("int", "stride"), new("int", "pad"),
    ];

    /// <summary>The geometry arguments of pooling <paramref name="input"/> [N,C,H,W] into <paramref name="output"/>.</summary>
    public static KernelArg[] GeometryArgs(Shape input, Shape output, int kernel, Conv2dWindow window) =>
    [
        KernelArg.I32(input[2]), KernelArg.I32(input[3]), KernelArg.I32(output[2]), KernelArg.I32(output[3]),
        KernelArg.I32(kernel), KernelArg.I32(window.Stride), KernelArg.I32(window.Padding),
    ];

    /// <summary>
    /// <c>sg_pool_argmax_*(plane, oh, ow, ...)</c>: the index in the plane of the window's maximum, the first strictly greater
    /// value in row-major order or the first NaN (the CPU's rule). Padding never wins, and every window holds a real
    /// element (padding is at most half the kernel), so the index is valid.
    /// </summary>
    public static KernelHelper ArgMax(KernelType type)
    {
        var t = type.C();
        return new($"pool_argmax_{type.Suffix()}", $$"""
            SG_FN long long sg_pool_argmax_{{type.Suffix()}}(const {{t}}* plane, long long oh, long long ow, int height, int width, int kernel, int stride, int pad)
            {
                long long h0 = oh * stride - pad, w0 = ow * stride - pad;
                long long hs = h0 < 0 ? 0 : h0, he = h0 + kernel < height ? h0 + kernel : height;
                long long ws = w0 < 0 ? 0 : w0, we = w0 + kernel < width ? w0 + kernel : width;
                long long best = -1;
                {{t}} best_value = ({{t}})0;
                for (long long ih = hs; ih < he; ih++)
                    for (long long iw = ws; iw < we; iw++)
                    {
                        {{t}} v = plane[ih * width + iw];
                        if (best < 0 || v > best_value || (v != v && best_value == best_value)) { best = ih * width + iw; best_value = v; }
                    }
                return best;
            }
            """);
    }

    /// <summary>
    /// <c>sg_pool_windows(i, pad, kernel, stride, count, &amp;first, &amp;last)</c>: the windows [first, last] along one axis whose
    /// span [o*stride - pad, o*stride - pad + kernel) holds input position i.
    /// </summary>
    public static KernelHelper Windows { get; } = new("pool_windows", """
        SG_FN void sg_pool_windows(long long i, int pad, int kernel, int stride, int count, long long* first, long long* last)
        {
            long long lo = i + pad - kernel + 1, hi = (i + pad) / stride;
            *first = lo <= 0 ? 0 : (lo + stride - 1) / stride;
            *last = hi < count - 1 ? hi : count - 1;
        }
        """);

    /// <summary>The loop head that splits output index <c>i</c> into plane, oh, ow.</summary>
    public const string OutputCoordinates = "long long ow = i % out_w, oh = (i / out_w) % out_h, plane = i / ((long long)out_w * out_h);";

    /// <summary>The loop head that splits input index <c>i</c> into plane, ih, iw.</summary>
    public const string InputCoordinates = "long long iw = i % width, ih = (i / width) % height, plane = i / ((long long)width * height);";
}
