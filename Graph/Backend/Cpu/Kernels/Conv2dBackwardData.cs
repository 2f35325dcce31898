using System.Numerics;
using System.Runtime.Intrinsics;

namespace StaticGraph.Backend.Cpu.Kernels;

/// <summary>The input gradient.</summary>
public static unsafe partial class Conv2d
{
    /// <summary>Elements of the prepared filters of <see cref="PrepareBackwardDataFilter{T}"/>.</summary>
    /// <param name="g">Convolution geometry.</param>
    public static long BackwardDataFilterElements<T>(in ConvGeometry g)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (WinogradTiles.Applies<T>(g))
        {
            var f = WinogradConvolution.InputGradientAsForward(g);
            if (Simd512<T>.IsUsable) return WinogradConvolution.FilterElements<T, Vector512<T>, Simd512<T>>(f);
            if (Simd256<T>.IsUsable) return WinogradConvolution.FilterElements<T, Vector256<T>, Simd256<T>>(f);
            return WinogradConvolution.FilterElements<T, T, SimdScalar<T>>(f);
        }

        if (Simd512<T>.IsUsable) return ConvBackwardData.FilterElements<T, Vector512<T>, Simd512<T>>(g);
        if (Simd256<T>.IsUsable) return ConvBackwardData.FilterElements<T, Vector256<T>, Simd256<T>>(g);
        return ConvBackwardData.FilterElements<T, T, SimdScalar<T>>(g);
    }

    /// <summary>Prepares the filters w (OIHW) for <see cref="BackwardDataPrepared{T}"/>: packed transposed, or transformed.</summary>
    /// <param name="g">Convolution geometry.</param>
    /// <param name="w">Filters, <c>[OutChannels, InChannels / Groups, KernelH, KernelW]</c>.</param>
    /// <param name="prepared">At least <see cref="BackwardDataFilterElements{T}"/> elements.</param>
    public static void PrepareBackwardDataFilter<T>(in ConvGeometry g, T* w, T* prepared)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        g.Validate();
        if (WinogradTiles.Applies<T>(g))
        {
            var f = WinogradConvolution.InputGradientAsForward(g);
            if (Simd512<T>.IsUsable) WinogradConvolution.PrepareFilter<T, Vector512<T>, Simd512<T>>(f, w, true, prepared);
            else if (Simd256<T>.IsUsable) WinogradConvolution.PrepareFilter<T, Vector256<T>, Simd256<T>>(f, w, true, prepared);
            else WinogradConvolution.PrepareFilter<T, T, SimdScalar<T>>(f, w, true, prepared);
        }
        else if (Simd512<T>.IsUsable)
        {
            ConvBackwardData.PackFilter<T, Vector512<T>, Simd512<T>>(g, w, prepared);
        }
        else if (Simd256<T>.IsUsable)
        {
            ConvBackwardData.PackFilter<T, Vector256<T>, Simd256<T>>(g, w, prepared);
        }
        else
        {
            ConvBackwardData.PackFilter<T, T, SimdScalar<T>>(g, w, prepared);
        }
    }

    /// <summary>Scratch elements one <see cref="BackwardDataPrepared{T}"/> call needs, for any image range.</summary>
    /// <param name="g">Convolution geometry.</param>
    public static long BackwardDataPreparedScratchElements<T>(in ConvGeometry g)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (WinogradTiles.Applies<T>(g))
        {
            var f = WinogradConvolution.InputGradientAsForward(g);
            if (Simd512<T>.IsUsable) return WinogradConvolution.ScratchElements<T, Vector512<T>, Simd512<T>>(f);
            if (Simd256<T>.IsUsable) return WinogradConvolution.ScratchElements<T, Vector256<T>, Simd256<T>>(f);
            return WinogradConvolution.ScratchElements<T, T, SimdScalar<T>>(f);
        }

        if (Simd512<T>.IsUsable) return ConvBackwardData.ScratchElements<T, Vector512<T>, Simd512<T>>(g);
        if (Simd256<T>.IsUsable) return ConvBackwardData.ScratchElements<T, Vector256<T>, Simd256<T>>(g);
        return ConvBackwardData.ScratchElements<T, T, SimdScalar<T>>(g);
    }

    /// <summary>
    /// Computes the input gradient of images <c>[imageStart, imageEnd)</c> with filters from
    /// <see cref="PrepareBackwardDataFilter{T}"/>, overwriting dx for them; the result does not depend on how a batch
    /// is split into ranges.
    /// </summary>
    /// <param name="g">Convolution geometry.</param>
    /// <param name="dy">Output gradient, <c>[Batch, OutChannels, OutHeight, OutWidth]</c>.</param>
    /// <param name="prepared">The prepared filters.</param>
    /// <param name="dx">Input gradient, <c>[Batch, InChannels, Height, Width]</c>; the range's images are overwritten.</param>
    /// <param name="imageStart">First image of the range.</param>
    /// <param name="imageEnd">One past the last image of the range.</param>
    /// <param name="scratch">At least <see cref="BackwardDataPreparedScratchElements{T}"/> elements private to this call.</param>
    public static void BackwardDataPrepared<T>(in ConvGeometry g, T* dy, T* prepared, T* dx, int imageStart, int imageEnd, T* scratch)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckRange(g, imageStart, imageEnd);
        if (WinogradTiles.Applies<T>(g))
        {
            var f = WinogradConvolution.InputGradientAsForward(g);
            if (Simd512<T>.IsUsable) WinogradConvolution.Run<T, Vector512<T>, Simd512<T>>(f, dy, prepared, dx, imageStart, imageEnd, scratch);
            else if (Simd256<T>.IsUsable) WinogradConvolution.Run<T, Vector256<T>, Simd256<T>>(f, dy, prepared, dx, imageStart, imageEnd, scratch);
            else WinogradConvolution.Run<T, T, SimdScalar<T>>(f, dy, prepared, dx, imageStart, imageEnd, scratch);
        }
        else if (Simd512<T>.IsUsable)
        {
            ConvBackwardData.Run<T, Vector512<T>, Simd512<T>>(g, dy, prepared, dx, imageStart, imageEnd, scratch);
        }
        else if (Simd256<T>.IsUsable)
        {
            ConvBackwardData.Run<T, Vector256<T>, Simd256<T>>(g, dy, prepared, dx, imageStart, imageEnd, scratch);
        }
        else
        {
            ConvBackwardData.Run<T, T, SimdScalar<T>>(g, dy, prepared, dx, imageStart, imageEnd, scratch);
        }
    }

    /// <summary>
    /// Computes the input gradient of images <c>[imageStart, imageEnd)</c>, preparing the filters in scratch, overwriting
    /// dx for them. Like <see cref="Forward{T}"/>, the result does not depend on how a batch is split into ranges.
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
        PrepareBackwardDataFilter(g, w, scratch);
        BackwardDataPrepared(g, dy, scratch, dx, imageStart, imageEnd, scratch + Lines<T>(BackwardDataFilterElements<T>(g)));
    }

    /// <summary>Scratch elements one <see cref="BackwardData{T}"/> call needs, for any image range.</summary>
    /// <param name="g">Convolution geometry.</param>
    public static long BackwardDataScratchElements<T>(in ConvGeometry g)
        where T : unmanaged, IFloatingPointIeee754<T>
        => Lines<T>(BackwardDataFilterElements<T>(g)) + BackwardDataPreparedScratchElements<T>(g);
}
