using System.Numerics;
using System.Runtime.Intrinsics;

namespace StaticGraph.Backend.Cpu.Kernels;

/// <summary>The forward convolution.</summary>
public static unsafe partial class Conv2d
{
    /// <summary>Elements of the prepared filters of <see cref="PrepareForwardFilter{T}"/>.</summary>
    /// <param name="g">Convolution geometry.</param>
    public static long ForwardFilterElements<T>(in ConvGeometry g)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        bool winograd = WinogradTiles.Applies<T>(g);
        if (Simd512<T>.IsUsable) return winograd ? WinogradConvolution.FilterElements<T, Vector512<T>, Simd512<T>>(g) : ConvForward.FilterElements<T, Vector512<T>, Simd512<T>>(g);
        if (Simd256<T>.IsUsable) return winograd ? WinogradConvolution.FilterElements<T, Vector256<T>, Simd256<T>>(g) : ConvForward.FilterElements<T, Vector256<T>, Simd256<T>>(g);
        return winograd ? WinogradConvolution.FilterElements<T, T, SimdScalar<T>>(g) : ConvForward.FilterElements<T, T, SimdScalar<T>>(g);
    }

    /// <summary>Prepares the filters w (OIHW) for <see cref="ForwardPrepared{T}"/>: packed, or transformed.</summary>
    /// <param name="g">Convolution geometry.</param>
    /// <param name="w">Filters, <c>[OutChannels, InChannels / Groups, KernelH, KernelW]</c>.</param>
    /// <param name="prepared">At least <see cref="ForwardFilterElements{T}"/> elements.</param>
    public static void PrepareForwardFilter<T>(in ConvGeometry g, T* w, T* prepared)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        g.Validate();
        bool winograd = WinogradTiles.Applies<T>(g);
        if (Simd512<T>.IsUsable)
        {
            if (winograd) WinogradConvolution.PrepareFilter<T, Vector512<T>, Simd512<T>>(g, w, false, prepared);
            else ConvForward.PackFilter<T, Vector512<T>, Simd512<T>>(g, w, prepared);
        }
        else if (Simd256<T>.IsUsable)
        {
            if (winograd) WinogradConvolution.PrepareFilter<T, Vector256<T>, Simd256<T>>(g, w, false, prepared);
            else ConvForward.PackFilter<T, Vector256<T>, Simd256<T>>(g, w, prepared);
        }
        else if (winograd)
        {
            WinogradConvolution.PrepareFilter<T, T, SimdScalar<T>>(g, w, false, prepared);
        }
        else
        {
            ConvForward.PackFilter<T, T, SimdScalar<T>>(g, w, prepared);
        }
    }

    /// <summary>Scratch elements one <see cref="ForwardPrepared{T}"/> call needs, for any image range.</summary>
    /// <param name="g">Convolution geometry.</param>
    public static long ForwardPreparedScratchElements<T>(in ConvGeometry g)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        bool winograd = WinogradTiles.Applies<T>(g);
        if (Simd512<T>.IsUsable) return winograd ? WinogradConvolution.ScratchElements<T, Vector512<T>, Simd512<T>>(g) : ConvForward.ScratchElements<T, Vector512<T>, Simd512<T>>(g);
        if (Simd256<T>.IsUsable) return winograd ? WinogradConvolution.ScratchElements<T, Vector256<T>, Simd256<T>>(g) : ConvForward.ScratchElements<T, Vector256<T>, Simd256<T>>(g);
        return winograd ? WinogradConvolution.ScratchElements<T, T, SimdScalar<T>>(g) : ConvForward.ScratchElements<T, T, SimdScalar<T>>(g);
    }

    /// <summary>
    /// Computes the output of images <c>[imageStart, imageEnd)</c> with filters from <see cref="PrepareForwardFilter{T}"/>.
    /// Each output value is a fixed-order sum, so the result does not depend on how a batch is split into ranges.
    /// </summary>
    /// <param name="g">Convolution geometry.</param>
    /// <param name="x">Input, <c>[Batch, InChannels, Height, Width]</c>.</param>
    /// <param name="prepared">The prepared filters.</param>
    /// <param name="y">Output, <c>[Batch, OutChannels, OutHeight, OutWidth]</c>; the range's images are overwritten.</param>
    /// <param name="imageStart">First image of the range.</param>
    /// <param name="imageEnd">One past the last image of the range.</param>
    /// <param name="scratch">At least <see cref="ForwardPreparedScratchElements{T}"/> elements private to this call.</param>
    public static void ForwardPrepared<T>(in ConvGeometry g, T* x, T* prepared, T* y, int imageStart, int imageEnd, T* scratch)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckRange(g, imageStart, imageEnd);
        bool winograd = WinogradTiles.Applies<T>(g);
        if (Simd512<T>.IsUsable)
        {
            if (winograd) WinogradConvolution.Run<T, Vector512<T>, Simd512<T>>(g, x, prepared, y, imageStart, imageEnd, scratch);
            else ConvForward.Run<T, Vector512<T>, Simd512<T>>(g, x, prepared, y, imageStart, imageEnd, scratch);
        }
        else if (Simd256<T>.IsUsable)
        {
            if (winograd) WinogradConvolution.Run<T, Vector256<T>, Simd256<T>>(g, x, prepared, y, imageStart, imageEnd, scratch);
            else ConvForward.Run<T, Vector256<T>, Simd256<T>>(g, x, prepared, y, imageStart, imageEnd, scratch);
        }
        else if (winograd)
        {
            WinogradConvolution.Run<T, T, SimdScalar<T>>(g, x, prepared, y, imageStart, imageEnd, scratch);
        }
        else
        {
            ConvForward.Run<T, T, SimdScalar<T>>(g, x, prepared, y, imageStart, imageEnd, scratch);
        }
    }

    /// <summary>
    /// Computes the output of images <c>[imageStart, imageEnd)</c>, preparing the filters in scratch. Each output value is
    /// a fixed-order sum, so the result does not depend on how a batch is split into ranges.
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
        PrepareForwardFilter(g, w, scratch);
        ForwardPrepared(g, x, scratch, y, imageStart, imageEnd, scratch + Lines<T>(ForwardFilterElements<T>(g)));
    }

    /// <summary>Scratch elements one <see cref="Forward{T}"/> call needs, for any image range.</summary>
    /// <param name="g">Convolution geometry.</param>
    public static long ForwardScratchElements<T>(in ConvGeometry g)
        where T : unmanaged, IFloatingPointIeee754<T>
        => Lines<T>(ForwardFilterElements<T>(g)) + ForwardPreparedScratchElements<T>(g);
}
