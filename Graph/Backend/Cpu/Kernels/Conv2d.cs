using System.Numerics;
using System.Runtime.Intrinsics;

namespace StaticGraph.Backend.Cpu.Kernels;

/// <summary>
/// 2-D convolution (no bias) on NCHW activations and OIHW filters, lowered to matrix products.
/// Every function is single-threaded and works on a range of images, so callers parallelise by handing disjoint
/// ranges to threads, each with its own scratch of the size the matching <c>...ScratchElements</c> returns
/// (scratch need not be initialised or aligned). No function allocates.
/// </summary>
public static unsafe class Conv2d
{
    /// <summary>
    /// Computes the output of images <c>[imageStart, imageEnd)</c>. Each output value is a fixed-order sum, so the
    /// result does not depend on how a batch is split into ranges.
    /// </summary>
    /// <param name="g">Convolution geometry.</param>
    /// <param name="x">Input, <c>[Batch, InChannels, Height, Width]</c>.</param>
    /// <param name="w">Filters, <c>[OutChannels, InChannels / Groups, KernelH, KernelW]</c>.</param>
    /// <param name="y">Output, <c>[Batch, OutChannels, OutHeight, OutWidth]</c>; the range's images are overwritten.</param>
    /// <param name="imageStart">First image of the range.</param>
    /// <param name="imageEnd">One past the last image of the range.</param>
    /// <param name="scratch">At least <see cref="ForwardScratchElements{T}"/> elements private to this call.</param>
    public static void Forward<T>(in ConvGeometry g, T* x, T* w, T* y, int imageStart, int imageEnd, T* scratch)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckRange(g, imageStart, imageEnd);
        if (Simd512<T>.IsUsable) ConvForward.Run<T, Vector512<T>, Simd512<T>>(g, x, w, y, imageStart, imageEnd, scratch);
        else if (Simd256<T>.IsUsable) ConvForward.Run<T, Vector256<T>, Simd256<T>>(g, x, w, y, imageStart, imageEnd, scratch);
        else ConvForward.Run<T, T, SimdScalar<T>>(g, x, w, y, imageStart, imageEnd, scratch);
    }

    /// <summary>Scratch elements one <see cref="Forward{T}"/> call needs, for any image range.</summary>
    /// <param name="g">Convolution geometry.</param>
    public static long ForwardScratchElements<T>(in ConvGeometry g)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (Simd512<T>.IsUsable) return ConvForward.ScratchElements<T, Vector512<T>, Simd512<T>>(g);
        if (Simd256<T>.IsUsable) return ConvForward.ScratchElements<T, Vector256<T>, Simd256<T>>(g);
        return ConvForward.ScratchElements<T, T, SimdScalar<T>>(g);
    }

    /// <summary>
    /// Computes the input gradient of images <c>[imageStart, imageEnd)</c>, overwriting dx for them. Like
    /// <see cref="Forward{T}"/>, the result does not depend on how a batch is split into ranges.
    /// </summary>
    /// <param name="g">Convolution geometry.</param>
    /// <param name="dy">Output gradient, <c>[Batch, OutChannels, OutHeight, OutWidth]</c>.</param>
    /// <param name="w">Filters, <c>[OutChannels, InChannels / Groups, KernelH, KernelW]</c>.</param>
    /// <param name="dx">Input gradient, <c>[Batch, InChannels, Height, Width]</c>; the range's images are overwritten.</param>
    /// <param name="imageStart">First image of the range.</param>
    /// <param name="imageEnd">One past the last image of the range.</param>
    /// <param name="scratch">At least <see cref="BackwardDataScratchElements{T}"/> elements private to this call.</param>
    public static void BackwardData<T>(in ConvGeometry g, T* dy, T* w, T* dx, int imageStart, int imageEnd, T* scratch)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckRange(g, imageStart, imageEnd);
        if (Simd512<T>.IsUsable) ConvBackwardData.Run<T, Vector512<T>, Simd512<T>>(g, dy, w, dx, imageStart, imageEnd, scratch);
        else if (Simd256<T>.IsUsable) ConvBackwardData.Run<T, Vector256<T>, Simd256<T>>(g, dy, w, dx, imageStart, imageEnd, scratch);
        else ConvBackwardData.Run<T, T, SimdScalar<T>>(g, dy, w, dx, imageStart, imageEnd, scratch);
    }

    /// <summary>Scratch elements one <see cref="BackwardData{T}"/> call needs, for any image range.</summary>
    /// <param name="g">Convolution geometry.</param>
    public static long BackwardDataScratchElements<T>(in ConvGeometry g)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (Simd512<T>.IsUsable) return ConvBackwardData.ScratchElements<T, Vector512<T>, Simd512<T>>(g);
        if (Simd256<T>.IsUsable) return ConvBackwardData.ScratchElements<T, Vector256<T>, Simd256<T>>(g);
        return ConvBackwardData.ScratchElements<T, T, SimdScalar<T>>(g);
    }

    /// <summary>
    /// Computes the filter gradient summed over images <c>[imageStart, imageEnd)</c> and overwrites dw with it (zero
    /// for an empty range). Images are taken in increasing order in fixed-size batches that depend only on the
    /// geometry, so the bits depend on the range but never on timing; callers wanting split-independent results sum
    /// the partials of fixed image chunks in a fixed order.
    /// </summary>
    /// <param name="g">Convolution geometry.</param>
    /// <param name="x">Input, <c>[Batch, InChannels, Height, Width]</c>.</param>
    /// <param name="dy">Output gradient, <c>[Batch, OutChannels, OutHeight, OutWidth]</c>.</param>
    /// <param name="dw">Filter gradient, <c>[OutChannels, InChannels / Groups, KernelH, KernelW]</c>, overwritten.</param>
    /// <param name="imageStart">First image of the range.</param>
    /// <param name="imageEnd">One past the last image of the range.</param>
    /// <param name="scratch">At least <see cref="BackwardFilterScratchElements{T}"/> elements private to this call.</param>
    public static void BackwardFilter<T>(in ConvGeometry g, T* x, T* dy, T* dw, int imageStart, int imageEnd, T* scratch)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckRange(g, imageStart, imageEnd);
        if (Simd512<T>.IsUsable) ConvBackwardFilter.Run<T, Vector512<T>, Simd512<T>>(g, x, dy, dw, imageStart, imageEnd, scratch);
        else if (Simd256<T>.IsUsable) ConvBackwardFilter.Run<T, Vector256<T>, Simd256<T>>(g, x, dy, dw, imageStart, imageEnd, scratch);
        else ConvBackwardFilter.Run<T, T, SimdScalar<T>>(g, x, dy, dw, imageStart, imageEnd, scratch);
    }

    /// <summary>Scratch elements one <see cref="BackwardFilter{T}"/> call needs, for any image range.</summary>
    /// <param name="g">Convolution geometry.</param>
    public static long BackwardFilterScratchElements<T>(in ConvGeometry g)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (Simd512<T>.IsUsable) return ConvBackwardFilter.ScratchElements<T, Vector512<T>, Simd512<T>>(g);
        if (Simd256<T>.IsUsable) return ConvBackwardFilter.ScratchElements<T, Vector256<T>, Simd256<T>>(g);
        return ConvBackwardFilter.ScratchElements<T, T, SimdScalar<T>>(g);
    }

    private static void CheckRange(in ConvGeometry g, int imageStart, int imageEnd)
    {
        g.Validate();
        if (imageStart < 0 || imageEnd < imageStart || imageEnd > g.Batch)
        {
            throw new ArgumentOutOfRangeException(nameof(imageEnd), $"Image range [{imageStart}, {imageEnd}) is outside the batch of {g.Batch}.");
        }
    }
}
