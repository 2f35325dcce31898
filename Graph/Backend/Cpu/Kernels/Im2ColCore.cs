using System.Numerics;
using System.Runtime.CompilerServices;

namespace StaticGraph.Backend.Cpu.Kernels;

/// <summary>
/// Lowering between one image and its column matrix, for one vector width and any column-matrix row stride.
/// Row <c>(c, kh, kw)</c> of the column matrix holds, for every output pixel <c>(oh, ow)</c>, the input value at
/// <c>(oh * strideH - padH + kh * dilationH, ow * strideW - padW + kw * dilationW)</c> of channel c (zero outside the image).
/// </summary>
internal static unsafe class Im2ColCore
{
    /// <summary>Writes rows <c>[0, PatchSize)</c> of the group's column matrix, each <c>OutPlaneSize</c> long, rows <paramref name="ldCol"/> apart.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Im2Col<T, TVector, TSimd>(in ConvGeometry g, T* image, int group, T* col, nint ldCol)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVector : struct
        where TSimd : struct, ISimd<T, TVector>
    {
        int outH = g.OutHeight, outW = g.OutWidth, h = g.Height, w = g.Width;
        T* firstPlane = image + (nint)group * g.InChannelsPerGroup * g.InPlaneSize;
        for (int c = 0, row = 0; c < g.InChannelsPerGroup; c++)
        {
            T* plane = firstPlane + (nint)c * g.InPlaneSize;
            for (int kh = 0; kh < g.KernelH; kh++)
            {
                int rowShift = kh * g.DilationH - g.PadH;
                for (int kw = 0; kw < g.KernelW; kw++, row++)
                {
                    int columnShift = kw * g.DilationW - g.PadW;
                    T* target = col + row * ldCol;
                    ColumnRange valid = ValidOutputs(outW, g.StrideW, columnShift, w);
                    if (g.StrideH == 1 && g.StrideW == 1 && outW == w)
                    {
                        LowerSameWidth<T, TVector, TSimd>(plane, target, h, w, outH, rowShift, columnShift, valid);
                        continue;
                    }

                    for (int oh = 0; oh < outH; oh++)
                    {
                        int ih = oh * g.StrideH + rowShift;
                        T* outRow = target + (nint)oh * outW;
                        if ((uint)ih >= (uint)h)
                        {
                            VectorLoops.Fill<T, TVector, TSimd>(outRow, outW, T.Zero);
                            continue;
                        }

                        T* inRow = plane + (nint)ih * w + columnShift;
                        VectorLoops.Fill<T, TVector, TSimd>(outRow, valid.Start, T.Zero);
                        if (g.StrideW == 1)
                        {
                            VectorLoops.Copy<T, TVector, TSimd>(inRow + valid.Start, outRow + valid.Start, valid.End - valid.Start);
                        }
                        else if (g.StrideW == 2)
                        {
                            VectorLoops.GatherStride2<T, TVector, TSimd>(inRow + 2 * valid.Start, outRow + valid.Start, valid.End - valid.Start);
                        }
                        else
                        {
                            for (int ow = valid.Start; ow < valid.End; ow++) outRow[ow] = inRow[(nint)ow * g.StrideW];
                        }

                        VectorLoops.Fill<T, TVector, TSimd>(outRow + valid.End, outW - valid.End, T.Zero);
                    }
                }
            }
        }
    }

    /// <summary>Adds each column-matrix entry back onto the input pixel it was read from (the adjoint of <see cref="Im2Col{T, TVector, TSimd}"/>).</summary>
    /// <param name="g">Convolution geometry.</param>
    /// <param name="col">The column matrix.</param>
    /// <param name="ldCol">Distance between its rows.</param>
    /// <param name="group">The channel group it belongs to.</param>
    /// <param name="imageGrad">The image gradient to add into.</param>
    /// <param name="mayOverwriteColumns">Whether entries that came from padding may be zeroed in place, which allows
    /// adding whole blocks of rows in one pass (unit stride, same width); only for columns the caller owns.</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Col2ImAccumulate<T, TVector, TSimd>(in ConvGeometry g, T* col, nint ldCol, int group, T* imageGrad, bool mayOverwriteColumns)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVector : struct
        where TSimd : struct, ISimd<T, TVector>
    {
        int outH = g.OutHeight, outW = g.OutWidth, h = g.Height, w = g.Width;
        T* firstPlane = imageGrad + (nint)group * g.InChannelsPerGroup * g.InPlaneSize;
        for (int c = 0, row = 0; c < g.InChannelsPerGroup; c++)
        {
            T* plane = firstPlane + (nint)c * g.InPlaneSize;
            for (int kh = 0; kh < g.KernelH; kh++)
            {
                int rowShift = kh * g.DilationH - g.PadH;
                for (int kw = 0; kw < g.KernelW; kw++, row++)
                {
                    int columnShift = kw * g.DilationW - g.PadW;
                    T* source = col + row * ldCol;
                    ColumnRange valid = ValidOutputs(outW, g.StrideW, columnShift, w);
                    if (mayOverwriteColumns && g.StrideH == 1 && g.StrideW == 1 && outW == w)
                    {
                        AddSameWidth<T, TVector, TSimd>(source, plane, h, w, outH, rowShift, columnShift, valid);
                        continue;
                    }

                    for (int oh = 0; oh < outH; oh++)
                    {
                        int ih = oh * g.StrideH + rowShift;
                        if ((uint)ih >= (uint)h) continue;
                        T* outRow = source + (nint)oh * outW;
                        T* inRow = plane + (nint)ih * w + columnShift;
                        if (g.StrideW == 1)
                        {
                            VectorLoops.AddInPlace<T, TVector, TSimd>(outRow + valid.Start, inRow + valid.Start, valid.End - valid.Start);
                        }
                        else if (g.StrideW == 2)
                        {
                            VectorLoops.AddStride2<T, TVector, TSimd>(outRow + valid.Start, inRow + 2 * valid.Start, valid.End - valid.Start);
                        }
                        else
                        {
                            for (int ow = valid.Start; ow < valid.End; ow++) inRow[(nint)ow * g.StrideW] += outRow[ow];
                        }
                    }
                }
            }
        }
    }

    /// <summary>
    /// Unit stride with output width equal to input width: consecutive output rows read consecutive input rows, so a
    /// whole block of rows is one contiguous copy; only the few columns that wrapped into the neighbouring row are then
    /// overwritten with the padding zero.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void LowerSameWidth<T, TVector, TSimd>(T* plane, T* target, int h, int w, int outH, int rowShift, int columnShift, ColumnRange valid)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVector : struct
        where TSimd : struct, ISimd<T, TVector>
    {
        int firstRow = Math.Clamp(-rowShift, 0, outH);
        int endRow = Math.Clamp(h - rowShift, firstRow, outH);
        VectorLoops.Fill<T, TVector, TSimd>(target, (nint)firstRow * w, T.Zero);
        VectorLoops.Fill<T, TVector, TSimd>(target + (nint)endRow * w, (nint)(outH - endRow) * w, T.Zero);
        if (endRow == firstRow) return;

        // Flat copy of output positions [first, end); the clamping only trims positions that are padding anyway.
        nint first = (nint)firstRow * w, end = (nint)endRow * w;
        nint offset = (nint)rowShift * w + columnShift;
        nint copyFirst = Math.Max(first, -offset), copyEnd = Math.Min(end, (nint)h * w - offset);
        VectorLoops.Copy<T, TVector, TSimd>(plane + copyFirst + offset, target + copyFirst, copyEnd - copyFirst);
        if (valid.Start == 0 && valid.End == w) return;
        for (int oh = firstRow; oh < endRow; oh++)
        {
            T* outRow = target + (nint)oh * w;
            for (int ow = 0; ow < valid.Start; ow++) outRow[ow] = T.Zero;
            for (int ow = valid.End; ow < w; ow++) outRow[ow] = T.Zero;
        }
    }

    /// <summary>
    /// The adjoint of <see cref="LowerSameWidth{T, TVector, TSimd}"/>: zeroes the entries that came from padding
    /// columns, after which the whole block of valid rows is added to the plane in one contiguous pass (the zeroed
    /// entries land harmlessly on pixels of neighbouring rows).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void AddSameWidth<T, TVector, TSimd>(T* source, T* plane, int h, int w, int outH, int rowShift, int columnShift, ColumnRange valid)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVector : struct
        where TSimd : struct, ISimd<T, TVector>
    {
        int firstRow = Math.Clamp(-rowShift, 0, outH);
        int endRow = Math.Clamp(h - rowShift, firstRow, outH);
        if (endRow == firstRow) return;
        if (valid.Start != 0 || valid.End != w)
        {
            for (int oh = firstRow; oh < endRow; oh++)
            {
                T* outRow = source + (nint)oh * w;
                for (int ow = 0; ow < valid.Start; ow++) outRow[ow] = T.Zero;
                for (int ow = valid.End; ow < w; ow++) outRow[ow] = T.Zero;
            }
        }

        nint first = (nint)firstRow * w, end = (nint)endRow * w;
        nint offset = (nint)rowShift * w + columnShift;
        nint addFirst = Math.Max(first, -offset), addEnd = Math.Min(end, (nint)h * w - offset);
        VectorLoops.AddInPlace<T, TVector, TSimd>(source + addFirst, plane + addFirst + offset, addEnd - addFirst);
    }

    /// <summary>The output columns <c>[Start, End)</c> whose input column <c>ow * stride + shift</c> lies inside <c>[0, width)</c>.</summary>
    private static ColumnRange ValidOutputs(int outW, int stride, int shift, int width)
    {
        // Smallest ow with ow * stride + shift >= 0, and one past the largest with ow * stride + shift <= width - 1.
        int start = shift >= 0 ? 0 : (-shift + stride - 1) / stride;
        int end = width - 1 - shift < 0 ? 0 : (width - 1 - shift) / stride + 1;
        start = Math.Min(start, outW);
        end = Math.Clamp(end, start, outW);
        return new ColumnRange(start, end);
    }

    private readonly record struct ColumnRange(int Start, int End);
}
