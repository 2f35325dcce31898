using System.Numerics;
using System.Runtime.Intrinsics;

namespace StaticGraph.Backend.Cpu.Kernels;

/// <summary>The filter gradient.</summary>
public static unsafe partial class Conv2d
{
    /// <summary>
    /// Elements of a partial filter gradient (<see cref="BackwardFilterPartial{T}"/>): the filter gradient itself, or its
    /// 16 Winograd points per channel pair.
    /// </summary>
    /// <param name="g">Convolution geometry.</param>
    public static long BackwardFilterPartialElements<T>(in ConvGeometry g)
        where T : unmanaged, IFloatingPointIeee754<T>
        => WinogradTiles.AppliesToFilterGradient<T>(g) ? WinogradFilterGradient.PartialElements(g) : g.WeightSize;

    /// <summary>Channel pairs (output channel, input channel of its group) of the filter: what <see cref="FinishBackwardFilter{T}"/> splits.</summary>
    /// <param name="g">Convolution geometry.</param>
    public static int BackwardFilterPairs(in ConvGeometry g) => g.OutChannels * g.InChannelsPerGroup;

    /// <summary>Scratch elements one <see cref="BackwardFilterPartial{T}"/> call needs, for any image range.</summary>
    /// <param name="g">Convolution geometry.</param>
    public static long BackwardFilterPartialScratchElements<T>(in ConvGeometry g)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        bool winograd = WinogradTiles.AppliesToFilterGradient<T>(g);
        if (Simd512<T>.IsUsable) return winograd ? WinogradFilterGradient.ScratchElements<T, Vector512<T>, Simd512<T>>(g) : ConvBackwardFilter.ScratchElements<T, Vector512<T>, Simd512<T>>(g);
        if (Simd256<T>.IsUsable) return winograd ? WinogradFilterGradient.ScratchElements<T, Vector256<T>, Simd256<T>>(g) : ConvBackwardFilter.ScratchElements<T, Vector256<T>, Simd256<T>>(g);
        return winograd ? WinogradFilterGradient.ScratchElements<T, T, SimdScalar<T>>(g) : ConvBackwardFilter.ScratchElements<T, T, SimdScalar<T>>(g);
    }

    /// <summary>
    /// Overwrites <paramref name="partial"/> with the partial filter gradient of images <c>[imageStart, imageEnd)</c>
    /// (zero for an empty range). Images are taken in increasing order in fixed-size batches that depend only on the
    /// geometry, so the bits depend on the range but never on timing; partials of ranges add up elementwise (callers
    /// wanting split-independent results add the partials of fixed chunks in a fixed order) and
    /// <see cref="FinishBackwardFilter{T}"/> turns a sum into the filter gradient.
    /// </summary>
    /// <param name="g">Convolution geometry.</param>
    /// <param name="x">Input, <c>[Batch, InChannels, Height, Width]</c>.</param>
    /// <param name="dy">Output gradient, <c>[Batch, OutChannels, OutHeight, OutWidth]</c>.</param>
    /// <param name="partial">At least <see cref="BackwardFilterPartialElements{T}"/> elements, overwritten.</param>
    /// <param name="imageStart">First image of the range.</param>
    /// <param name="imageEnd">One past the last image of the range.</param>
    /// <param name="scratch">At least <see cref="BackwardFilterPartialScratchElements{T}"/> elements private to this call.</param>
    public static void BackwardFilterPartial<T>(in ConvGeometry g, T* x, T* dy, T* partial, int imageStart, int imageEnd, T* scratch)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckRange(g, imageStart, imageEnd);
        bool winograd = WinogradTiles.AppliesToFilterGradient<T>(g);
        if (Simd512<T>.IsUsable)
        {
            if (winograd) WinogradFilterGradient.Run<T, Vector512<T>, Simd512<T>>(g, x, dy, partial, imageStart, imageEnd, scratch);
            else ConvBackwardFilter.Run<T, Vector512<T>, Simd512<T>>(g, x, dy, partial, imageStart, imageEnd, scratch);
        }
        else if (Simd256<T>.IsUsable)
        {
            if (winograd) WinogradFilterGradient.Run<T, Vector256<T>, Simd256<T>>(g, x, dy, partial, imageStart, imageEnd, scratch);
            else ConvBackwardFilter.Run<T, Vector256<T>, Simd256<T>>(g, x, dy, partial, imageStart, imageEnd, scratch);
        }
        else if (winograd)
        {
            WinogradFilterGradient.Run<T, T, SimdScalar<T>>(g, x, dy, partial, imageStart, imageEnd, scratch);
        }
        else
        {
            ConvBackwardFilter.Run<T, T, SimdScalar<T>>(g, x, dy, partial, imageStart, imageEnd, scratch);
        }
    }

    /// <summary>Writes the filter gradient of channel pairs <c>[first, end)</c> to dw from a sum of partials.</summary>
    /// <param name="g">Convolution geometry.</param>
    /// <param name="partial">A partial (or a sum of partials) of <see cref="BackwardFilterPartial{T}"/>.</param>
    /// <param name="dw">Filter gradient, <c>[OutChannels, InChannels / Groups, KernelH, KernelW]</c>.</param>
    /// <param name="first">First channel pair (output channel times input channels per group plus input channel).</param>
    /// <param name="end">One past the last pair.</param>
    public static void FinishBackwardFilter<T>(in ConvGeometry g, T* partial, T* dw, int first, int end)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (WinogradTiles.AppliesToFilterGradient<T>(g))
        {
            WinogradFilterGradient.Finish(g, partial, dw, first, end);
            return;
        }

        if (partial == dw) return;
        int taps = g.KernelH * g.KernelW;
        new ReadOnlySpan<T>(partial + (long)first * taps, (end - first) * taps).CopyTo(new Span<T>(dw + (long)first * taps, (end - first) * taps));
    }

    /// <summary>
    /// Computes the filter gradient summed over images <c>[imageStart, imageEnd)</c> and overwrites dw with it (zero
    /// for an empty range): <see cref="BackwardFilterPartial{T}"/> and <see cref="FinishBackwardFilter{T}"/> in one call.
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
        if (!WinogradTiles.AppliesToFilterGradient<T>(g))
        {
            BackwardFilterPartial(g, x, dy, dw, imageStart, imageEnd, scratch);
            return;
        }

        BackwardFilterPartial(g, x, dy, scratch, imageStart, imageEnd, scratch + Lines<T>(BackwardFilterPartialElements<T>(g)));
        FinishBackwardFilter(g, scratch, dw, 0, BackwardFilterPairs(g));
    }

    /// <summary>Scratch elements one <see cref="BackwardFilter{T}"/> call needs, for any image range.</summary>
    /// <param name="g">Convolution geometry.</param>
    public static long BackwardFilterScratchElements<T>(in ConvGeometry g)
        where T : unmanaged, IFloatingPointIeee754<T>
        => (WinogradTiles.AppliesToFilterGradient<T>(g) ? Lines<T>(BackwardFilterPartialElements<T>(g)) : 0) + BackwardFilterPartialScratchElements<T>(g);
}
