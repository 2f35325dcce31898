using System.Numerics;
using System.Runtime.CompilerServices;

namespace StaticGraph.Backend.Cpu.Kernels;

/// <summary>
/// Max and average pooling over NCHW planes. Each function handles planes <c>[planeStart, planeEnd)</c> (plane =
/// image * Channels + channel), so callers parallelise over disjoint plane ranges; results do not depend on the split.
/// Single-threaded, no scratch, no allocation.
/// </summary>
public static unsafe class Pooling
{
    /// <summary>
    /// Maximum over each window; padding counts as -infinity. A NaN in a window makes the output NaN.
    /// </summary>
    /// <param name="g">Pooling geometry.</param>
    /// <param name="x">Input, <c>[Batch, Channels, Height, Width]</c>.</param>
    /// <param name="y">Output, <c>[Batch, Channels, OutHeight, OutWidth]</c>; the range's planes are overwritten.</param>
    /// <param name="planeStart">First plane of the range.</param>
    /// <param name="planeEnd">One past the last plane of the range.</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void MaxPool2dForward<T>(in PoolGeometry g, T* x, T* y, int planeStart, int planeEnd)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckRange(g, planeStart, planeEnd);
        for (int plane = planeStart; plane < planeEnd; plane++)
        {
            T* input = x + (long)plane * g.InPlaneSize;
            T* output = y + (long)plane * g.OutPlaneSize;
            for (int oh = 0; oh < g.OutHeight; oh++)
            {
                for (int ow = 0; ow < g.OutWidth; ow++)
                {
                    int index = ArgMax(g, input, oh, ow);
                    output[oh * g.OutWidth + ow] = index < 0 ? T.NegativeInfinity : input[index];
                }
            }
        }
    }

    /// <summary>
    /// Routes each output gradient to the input pixel that was the window's maximum (recomputed from x; on ties the
    /// first in row-major order wins). Overwrites dx for the range's planes.
    /// </summary>
    /// <param name="g">Pooling geometry.</param>
    /// <param name="x">Forward input, <c>[Batch, Channels, Height, Width]</c>.</param>
    /// <param name="dy">Output gradient, <c>[Batch, Channels, OutHeight, OutWidth]</c>.</param>
    /// <param name="dx">Input gradient, <c>[Batch, Channels, Height, Width]</c>; the range's planes are overwritten.</param>
    /// <param name="planeStart">First plane of the range.</param>
    /// <param name="planeEnd">One past the last plane of the range.</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void MaxPool2dBackward<T>(in PoolGeometry g, T* x, T* dy, T* dx, int planeStart, int planeEnd)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckRange(g, planeStart, planeEnd);
        for (int plane = planeStart; plane < planeEnd; plane++)
        {
            T* input = x + (long)plane * g.InPlaneSize;
            T* outputGrad = dy + (long)plane * g.OutPlaneSize;
            T* inputGrad = dx + (long)plane * g.InPlaneSize;
            new Span<T>(inputGrad, g.InPlaneSize).Clear();
            for (int oh = 0; oh < g.OutHeight; oh++)
            {
                for (int ow = 0; ow < g.OutWidth; ow++)
                {
                    int index = ArgMax(g, input, oh, ow);
                    if (index >= 0) inputGrad[index] += outputGrad[oh * g.OutWidth + ow];
                }
            }
        }
    }

    /// <summary>
    /// Average over each window, dividing by the full window size even where it overlaps the padding
    /// (PyTorch's <c>count_include_pad = true</c>).
    /// </summary>
    /// <param name="g">Pooling geometry.</param>
    /// <param name="x">Input, <c>[Batch, Channels, Height, Width]</c>.</param>
    /// <param name="y">Output, <c>[Batch, Channels, OutHeight, OutWidth]</c>; the range's planes are overwritten.</param>
    /// <param name="planeStart">First plane of the range.</param>
    /// <param name="planeEnd">One past the last plane of the range.</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void AvgPool2dForward<T>(in PoolGeometry g, T* x, T* y, int planeStart, int planeEnd)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckRange(g, planeStart, planeEnd);
        T scale = T.One / T.CreateChecked(g.KernelH * g.KernelW);
        for (int plane = planeStart; plane < planeEnd; plane++)
        {
            T* input = x + (long)plane * g.InPlaneSize;
            T* output = y + (long)plane * g.OutPlaneSize;
            for (int oh = 0; oh < g.OutHeight; oh++)
            {
                var rows = Clip(oh * g.StrideH - g.PadH, g.KernelH, g.Height);
                for (int ow = 0; ow < g.OutWidth; ow++)
                {
                    var columns = Clip(ow * g.StrideW - g.PadW, g.KernelW, g.Width);
                    T sum = T.Zero;
                    for (int ih = rows.Start; ih < rows.End; ih++)
                    {
                        T* row = input + ih * g.Width;
                        for (int iw = columns.Start; iw < columns.End; iw++) sum += row[iw];
                    }

                    output[oh * g.OutWidth + ow] = sum * scale;
                }
            }
        }
    }

    /// <summary>Spreads each output gradient, divided by the full window size, over the window's real pixels. Overwrites dx for the range's planes.</summary>
    /// <param name="g">Pooling geometry.</param>
    /// <param name="dy">Output gradient, <c>[Batch, Channels, OutHeight, OutWidth]</c>.</param>
    /// <param name="dx">Input gradient, <c>[Batch, Channels, Height, Width]</c>; the range's planes are overwritten.</param>
    /// <param name="planeStart">First plane of the range.</param>
    /// <param name="planeEnd">One past the last plane of the range.</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void AvgPool2dBackward<T>(in PoolGeometry g, T* dy, T* dx, int planeStart, int planeEnd)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckRange(g, planeStart, planeEnd);
        T scale = T.One / T.CreateChecked(g.KernelH * g.KernelW);
        for (int plane = planeStart; plane < planeEnd; plane++)
        {
            T* outputGrad = dy + (long)plane * g.OutPlaneSize;
            T* inputGrad = dx + (long)plane * g.InPlaneSize;
            new Span<T>(inputGrad, g.InPlaneSize).Clear();
            for (int oh = 0; oh < g.OutHeight; oh++)
            {
                var rows = Clip(oh * g.StrideH - g.PadH, g.KernelH, g.Height);
                for (int ow = 0; ow < g.OutWidth; ow++)
                {
                    var columns = Clip(ow * g.StrideW - g.PadW, g.KernelW, g.Width);
                    T share = outputGrad[oh * g.OutWidth + ow] * scale;
                    for (int ih = rows.Start; ih < rows.End; ih++)
                    {
                        T* row = inputGrad + ih * g.Width;
                        for (int iw = columns.Start; iw < columns.End; iw++) row[iw] += share;
                    }
                }
            }
        }
    }

    /// <summary>
    /// Index within the plane of the window's maximum: the first strictly greater value in row-major order, or the
    /// first NaN; -1 if the window holds only padding.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int ArgMax<T>(in PoolGeometry g, T* input, int oh, int ow)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var rows = Clip(oh * g.StrideH - g.PadH, g.KernelH, g.Height);
        var columns = Clip(ow * g.StrideW - g.PadW, g.KernelW, g.Width);
        int best = -1;
        T bestValue = T.NegativeInfinity;
        for (int ih = rows.Start; ih < rows.End; ih++)
        {
            for (int iw = columns.Start; iw < columns.End; iw++)
            {
                int index = ih * g.Width + iw;
                T value = input[index];
                if (best < 0 || value > bestValue || (T.IsNaN(value) && !T.IsNaN(bestValue)))
                {
                    best = index;
                    bestValue = value;
                }
            }
        }

        return best;
    }

    /// <summary>The part <c>[Start, End)</c> of a window starting at <paramref name="first"/> that lies inside <c>[0, size)</c>.</summary>
    private static (int Start, int End) Clip(int first, int window, int size) => (Math.Max(first, 0), Math.Min(first + window, size));

    private static void CheckRange(in PoolGeometry g, int planeStart, int planeEnd)
    {
        g.Validate();
        if (planeStart < 0 || planeEnd < planeStart || planeEnd > g.Planes)
        {
            throw new ArgumentOutOfRangeException(nameof(planeEnd), $"Plane range [{planeStart}, {planeEnd}) is outside the {g.Planes} planes.");
        }
    }
}
