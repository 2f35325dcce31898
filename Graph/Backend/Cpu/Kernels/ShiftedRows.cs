using System.Numerics;
using System.Runtime.CompilerServices;

namespace StaticGraph.Backend.Cpu.Kernels;

/// <summary>
/// Implicit im2col. Each input plane is zero-padded and split into <c>StrideH x StrideW</c> phase planes (phase (a, b)
/// holds padded pixels <c>(StrideH * i + a, StrideW * j + b)</c>; with unit stride it is just the padded plane). Then
/// the column-matrix row of filter tap (c, kh, kw) is plain contiguous memory: the phase plane that tap falls in, read
/// from a fixed offset, provided outputs are indexed on a "virtual" grid of width <see cref="VirtualWidth"/> rather
/// than <see cref="OutWidth"/>. The kernels read B rows through offset tables, so no column matrix is written at all;
/// the price is the virtual outputs that are not real ones (7% at 28x28 with a 3x3 filter).
/// With unit stride several images can share the padded rows, side by side with one padding gap between neighbours
/// (the right padding of one image is the left padding of the next), which keeps rows long for small images.
/// </summary>
/// <param name="Images">Images side by side (1 unless the stride is 1).</param>
/// <param name="Height">Height of the planes being padded.</param>
/// <param name="Width">Width of the planes being padded.</param>
/// <param name="PadTop">Zero rows above (and below) each plane.</param>
/// <param name="PadLeft">Zero columns left (and right) of each plane.</param>
/// <param name="StrideH">Vertical stride of the convolution over these planes.</param>
/// <param name="StrideW">Horizontal stride.</param>
/// <param name="KernelH">Filter height (to know which phases the taps use).</param>
/// <param name="KernelW">Filter width.</param>
/// <param name="DilationH">Vertical tap spacing.</param>
/// <param name="DilationW">Horizontal tap spacing.</param>
/// <param name="OutHeight">Output rows.</param>
/// <param name="OutWidth">Real outputs per image and virtual row.</param>
/// <param name="RowStride">Row stride for matrices over the virtual outputs: whole cache lines, an odd number.</param>
internal readonly unsafe record struct ShiftedRows(
    int Images, int Height, int Width, int PadTop, int PadLeft, int StrideH, int StrideW,
    int KernelH, int KernelW, int DilationH, int DilationW, int OutHeight, int OutWidth, nint RowStride)
{
    /// <summary>Widest tolerated ratio of virtual to real outputs; beyond it explicit columns are cheaper.</summary>
    private const double MaxWaste = 1.2;

    /// <summary>Shortest dot product worth using shifted rows for the filter gradient (batched explicit columns are long).</summary>
    private const int MinFilterColumns = 384;

    public int PaddedHeight => Height + 2 * PadTop;

    /// <summary>Rows of a phase plane.</summary>
    public int PhaseHeight => (PaddedHeight + StrideH - 1) / StrideH;

    /// <summary>Columns from one image to the next when several share the rows.</summary>
    public int ImagePitch => Width + PadLeft;

    /// <summary>Row length of a phase plane, which is also the row length of the virtual output grid.</summary>
    public int VirtualWidth => StrideW == 1 ? Images * ImagePitch + PadLeft : (Width + 2 * PadLeft + StrideW - 1) / StrideW;

    public int PhasePlane => PhaseHeight * VirtualWidth;

    /// <summary>All phase planes of one channel.</summary>
    public int ChannelBlock => StrideH * StrideW * PhasePlane;

    /// <summary>Virtual outputs up to the last real one.</summary>
    public int Columns => (OutHeight - 1) * VirtualWidth + (Images - 1) * ImagePitch + OutWidth;

    /// <summary>Virtual outputs per real output.</summary>
    public double Waste => (double)Columns / ((long)Images * OutHeight * OutWidth);

    /// <summary>Whether the forward pass of <paramref name="g"/> should use shifted rows instead of explicit columns.</summary>
    public static bool AppliesToForward(in ConvGeometry g)
        => !(g.IsPointwise && g.StrideH == 1 && g.StrideW == 1) && ForInput<float>(g, ColumnBatch.ProductColumns).Waste <= MaxWaste;

    /// <summary>
    /// Whether the input gradient should use shifted rows: only with unit stride, where it is the convolution of dy
    /// padded by <c>dilation * (kernel - 1) - pad</c> (which must not be negative). Its product has one row per input
    /// channel of a group, so those must also fill the 8-row register tiles reasonably well (not so for RGB input).
    /// </summary>
    public static bool AppliesToInputGradient(in ConvGeometry g)
    {
        if (g.StrideH != 1 || g.StrideW != 1 || g.IsPointwise) return false;
        if (g.PadH > g.DilationH * (g.KernelH - 1) || g.PadW > g.DilationW * (g.KernelW - 1)) return false;
        int channels = g.InChannelsPerGroup;
        return (channels + 7) / 8 * 8 <= 1.25 * channels && ForOutputGradient<float>(g, ColumnBatch.ProductColumns).Waste <= MaxWaste;
    }

    /// <summary>Whether the filter gradient should use shifted rows (its dot products must also be long enough).</summary>
    public static bool AppliesToFilterGradient(in ConvGeometry g)
    {
        if (g.IsPointwise && g.StrideH == 1 && g.StrideW == 1) return false;
        var rows = ForInput<float>(g, ColumnBatch.DotColumns);
        return rows.Waste <= MaxWaste && rows.Columns >= MinFilterColumns;
    }

    /// <summary>Padding the input images (forward pass and filter gradient), batching images to reach about <paramref name="targetColumns"/>.</summary>
    public static ShiftedRows ForInput<T>(in ConvGeometry g, int targetColumns)
        where T : unmanaged
    {
        var single = new ShiftedRows(
            1, g.Height, g.Width, g.PadH, g.PadW, g.StrideH, g.StrideW,
            g.KernelH, g.KernelW, g.DilationH, g.DilationW, g.OutHeight, g.OutWidth, 0);
        return single.Batched<T>(g.Batch, targetColumns);
    }

    /// <summary>
    /// Padding the output gradients of a unit-stride convolution: the input gradient is the convolution of dy, padded by
    /// <c>dilation * (kernel - 1) - pad</c>, with the flipped, transposed filters; its outputs are the input pixels.
    /// </summary>
    public static ShiftedRows ForOutputGradient<T>(in ConvGeometry g, int targetColumns)
        where T : unmanaged
    {
        var single = new ShiftedRows(
            1, g.OutHeight, g.OutWidth, g.DilationH * (g.KernelH - 1) - g.PadH, g.DilationW * (g.KernelW - 1) - g.PadW, 1, 1,
            g.KernelH, g.KernelW, g.DilationH, g.DilationW, g.Height, g.Width, 0);
        return single.Batched<T>(g.Batch, targetColumns);
    }

    /// <summary>The same layout for <paramref name="images"/> images (the last batch of a range may be smaller).</summary>
    public ShiftedRows WithImages<T>(int images)
        where T : unmanaged
        => images == Images ? this : WithRowStride<T>(this with { Images = images });

    /// <summary>Elements for <paramref name="planes"/> padded channels plus the vector of slack the last row's loads run into.</summary>
    public long PaddedElements(int planes, int lanes) => (long)planes * ChannelBlock + lanes;

    /// <summary>Offsets of the rows of the implicit column matrix, one per (plane, kh, kw), optionally with the filter flipped.</summary>
    public void FillOffsets(nint* offsets, int planes, bool flipped)
    {
        for (int c = 0, row = 0; c < planes; c++)
        {
            for (int kh = 0; kh < KernelH; kh++)
            {
                for (int kw = 0; kw < KernelW; kw++, row++)
                {
                    int tapH = (flipped ? KernelH - 1 - kh : kh) * DilationH, tapW = (flipped ? KernelW - 1 - kw : kw) * DilationW;
                    int phase = tapH % StrideH * StrideW + tapW % StrideW;
                    offsets[row] = (nint)c * ChannelBlock + (nint)phase * PhasePlane + (nint)(tapH / StrideH) * VirtualWidth + tapW / StrideW;
                }
            }
        }
    }

    /// <summary>
    /// Copies <paramref name="planes"/> consecutive planes of each image (image i's at <c>source + i * imageStride</c>)
    /// into the zero-padded phase planes (skipping phases no tap reads), and zeroes the slack after them.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Pad<T, TVector, TSimd>(T* source, nint imageStride, int planes, T* destination)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVector : struct
        where TSimd : struct, ISimd<T, TVector>
    {
        // Zero everything with whole vectors, then drop the rows in: fewer partial vectors than padding row by row.
        VectorLoops.Fill<T, TVector, TSimd>(destination, (nint)planes * ChannelBlock + TSimd.Lanes, T.Zero);
        int virtualWidth = VirtualWidth;
        for (int a = 0; a < StrideH; a++)
        {
            if (!UsesPhase(a, StrideH, KernelH, DilationH)) continue;
            for (int b = 0; b < StrideW; b++)
            {
                if (!UsesPhase(b, StrideW, KernelW, DilationW)) continue;
                // Phase columns j whose source column StrideW * j + b - PadLeft lies inside the plane.
                int firstColumn = Math.Max(0, (PadLeft - b + StrideW - 1) / StrideW);
                int endColumn = Math.Min(StrideW == 1 ? PadLeft + Width : virtualWidth, (Width - 1 + PadLeft - b) / StrideW + 1);
                if (endColumn <= firstColumn) continue;
                int firstSource = StrideW * firstColumn + b - PadLeft;
                for (int image = 0; image < Images; image++)
                {
                    for (int c = 0; c < planes; c++)
                    {
                        T* from = source + image * imageStride + (nint)c * Height * Width;
                        T* phase = destination + (nint)c * ChannelBlock + (nint)(a * StrideW + b) * PhasePlane + (nint)image * ImagePitch;
                        for (int i = 0; i < PhaseHeight; i++)
                        {
                            int h = StrideH * i + a - PadTop;
                            if ((uint)h >= (uint)Height) continue;
                            CopyStrided<T, TVector, TSimd>(from + (nint)h * Width + firstSource, phase + (nint)i * virtualWidth + firstColumn, endColumn - firstColumn);
                        }
                    }
                }
            }
        }
    }

    /// <summary>
    /// Copies the real outputs of <paramref name="rows"/> virtual rows into dense <c>OutHeight x OutWidth</c> planes,
    /// image i's at <c>destination + i * imageStride</c>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Compact<T, TVector, TSimd>(T* source, int rows, T* destination, nint imageStride)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVector : struct
        where TSimd : struct, ISimd<T, TVector>
    {
        for (int image = 0; image < Images; image++)
        {
            for (int r = 0; r < rows; r++)
            {
                T* from = source + r * RowStride + (nint)image * ImagePitch;
                T* to = destination + image * imageStride + (nint)r * OutHeight * OutWidth;
                for (int oh = 0; oh < OutHeight; oh++)
                {
                    VectorLoops.Copy<T, TVector, TSimd>(from + (nint)oh * VirtualWidth, to + (nint)oh * OutWidth, OutWidth);
                }
            }
        }
    }

    /// <summary>
    /// The inverse of <see cref="Compact{T, TVector, TSimd}"/>: spreads dense planes over virtual rows with zeros in the
    /// unused outputs (and up to a whole vector past the last one), so dot products over virtual rows ignore them.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Spread<T, TVector, TSimd>(T* source, nint imageStride, int rows, T* destination)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVector : struct
        where TSimd : struct, ISimd<T, TVector>
    {
        for (int r = 0; r < rows; r++)
        {
            T* to = destination + r * RowStride;
            VectorLoops.Fill<T, TVector, TSimd>(to, Columns, T.Zero);
            for (int image = 0; image < Images; image++)
            {
                T* from = source + image * imageStride + (nint)r * OutHeight * OutWidth;
                T* target = to + (nint)image * ImagePitch;
                for (int oh = 0; oh < OutHeight; oh++)
                {
                    VectorLoops.Copy<T, TVector, TSimd>(from + (nint)oh * OutWidth, target + (nint)oh * VirtualWidth, OutWidth);
                }
            }
        }

        BatchRows.ZeroPadding<T, TVector, TSimd>(destination, RowStride, rows, Columns);
    }

    /// <summary><c>destination[j] = source[j * StrideW]</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void CopyStrided<T, TVector, TSimd>(T* source, T* destination, int count)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVector : struct
        where TSimd : struct, ISimd<T, TVector>
    {
        if (StrideW == 1) VectorLoops.Copy<T, TVector, TSimd>(source, destination, count);
        else if (StrideW == 2) VectorLoops.GatherStride2<T, TVector, TSimd>(source, destination, count);
        else for (int j = 0; j < count; j++) destination[j] = source[(nint)j * StrideW];
    }

    /// <summary>Whether some tap <c>k * dilation</c> falls in phase <paramref name="phase"/> modulo <paramref name="stride"/>.</summary>
    private static bool UsesPhase(int phase, int stride, int kernel, int dilation)
    {
        for (int k = 0; k < kernel; k++)
        {
            if (k * dilation % stride == phase) return true;
        }

        return false;
    }

    /// <summary>
    /// This single-image layout widened to as many images (at most <paramref name="batch"/>) as it takes to reach
    /// <paramref name="targetColumns"/> virtual outputs; images share rows only with unit horizontal stride.
    /// </summary>
    private ShiftedRows Batched<T>(int batch, int targetColumns)
        where T : unmanaged
    {
        int images = 1;
        if (StrideW == 1)
        {
            long perImage = (long)OutHeight * ImagePitch;
            images = (int)Math.Clamp((targetColumns + perImage - 1) / perImage, 1, Math.Max(batch, 1));
        }

        return WithRowStride<T>(this with { Images = images });
    }

    private static ShiftedRows WithRowStride<T>(ShiftedRows shape)
        where T : unmanaged
    {
        int perLine = Math.Max(1, 64 / sizeof(T));
        long lines = ((long)shape.Columns + perLine - 1) / perLine;
        if (lines % 2 == 0) lines++;
        return shape with { RowStride = (nint)(lines * perLine) };
    }
}
