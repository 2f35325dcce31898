using System.Numerics;
using System.Runtime.CompilerServices;

namespace StaticGraph.Backend.Cpu.Kernels;

/// <summary>
/// Implicit im2col for unit-stride convolutions. Once each input plane is copied into a zero-padded plane of width
/// <see cref="PaddedWidth"/>, the column-matrix row of filter tap (c, kh, kw) is simply that padded memory read from
/// offset <c>c * PaddedPlane + kh * dilationH * PaddedWidth + kw * dilationW</c>, if outputs are indexed in a "virtual"
/// row-major grid of width <see cref="PaddedWidth"/> instead of <see cref="OutWidth"/>. The kernels read rows through
/// offset tables, so no column matrix is written at all; the price is computing <c>PaddedWidth - OutWidth</c> unused
/// outputs per row, which is small for wide images (7% at 28x28 with a 3x3 filter).
/// </summary>
/// <param name="Height">Height of the planes being padded.</param>
/// <param name="Width">Width of the planes being padded.</param>
/// <param name="PadTop">Zero rows above (and below) each plane.</param>
/// <param name="PadLeft">Zero columns left (and right) of each plane.</param>
/// <param name="OutHeight">Output rows.</param>
/// <param name="OutWidth">Valid outputs per virtual row.</param>
/// <param name="Stride">Row stride for matrices over the virtual outputs: whole cache lines, an odd number.</param>
internal readonly unsafe record struct ShiftedRows(int Height, int Width, int PadTop, int PadLeft, int OutHeight, int OutWidth, nint Stride)
{
    /// <summary>Widest tolerated ratio of virtual to real outputs; beyond it explicit columns are cheaper.</summary>
    private const double MaxWaste = 1.15;

    /// <summary>Shortest per-image dot product worth using shifted rows for the filter gradient.</summary>
    private const int MinFilterColumns = 200;

    public int PaddedHeight => Height + 2 * PadTop;
    public int PaddedWidth => Width + 2 * PadLeft;
    public int PaddedPlane => PaddedHeight * PaddedWidth;

    /// <summary>Virtual outputs up to the last real one: <c>(OutHeight - 1) * PaddedWidth + OutWidth</c>.</summary>
    public int Columns => (OutHeight - 1) * PaddedWidth + OutWidth;

    /// <summary>Whether the forward pass of <paramref name="g"/> should use shifted rows instead of explicit columns.</summary>
    public static bool AppliesToForward(in ConvGeometry g)
    {
        if (g.StrideH != 1 || g.StrideW != 1 || g.IsPointwise) return false;
        return ForInput<float>(g).Columns <= MaxWaste * g.OutPlaneSize;
    }

    /// <summary>
    /// Whether the input gradient should use shifted rows. Its product has one row per input channel of a group, so
    /// besides the waste test the channels must fill the 8-row register tiles reasonably well (not so for RGB input).
    /// </summary>
    public static bool AppliesToInputGradient(in ConvGeometry g)
    {
        // The input gradient convolves dy padded by dilation * (kernel - 1) - pad, which must not be negative.
        if (g.PadH > g.DilationH * (g.KernelH - 1) || g.PadW > g.DilationW * (g.KernelW - 1)) return false;
        int channels = g.InChannelsPerGroup;
        return AppliesToForward(g) && (channels + 7) / 8 * 8 <= 1.25 * channels;
    }

    /// <summary>
    /// Whether the filter gradient should use shifted rows. It sums one image at a time, so its dot products are only
    /// one image long; below <see cref="MinFilterColumns"/> the batched explicit columns, which are longer, win.
    /// </summary>
    public static bool AppliesToFilterGradient(in ConvGeometry g)
        => AppliesToForward(g) && ForInput<float>(g).Columns >= MinFilterColumns;

    /// <summary>Padding the input image: for the forward pass and the filter gradient.</summary>
    public static ShiftedRows ForInput<T>(in ConvGeometry g)
        where T : unmanaged
        => Create<T>(g.Height, g.Width, g.PadH, g.PadW, g.OutHeight, g.OutWidth);

    /// <summary>
    /// Padding the output gradient: the input gradient of a unit-stride convolution is the convolution of dy, padded by
    /// <c>dilation * (kernel - 1) - pad</c>, with the flipped, transposed filters; its outputs are the input pixels.
    /// </summary>
    public static ShiftedRows ForOutputGradient<T>(in ConvGeometry g)
        where T : unmanaged
        => Create<T>(g.OutHeight, g.OutWidth, g.DilationH * (g.KernelH - 1) - g.PadH, g.DilationW * (g.KernelW - 1) - g.PadW, g.Height, g.Width);

    /// <summary>Elements for <paramref name="planes"/> padded planes plus the vector of slack the last row's loads run into.</summary>
    public long PaddedElements(int planes, int lanes) => (long)planes * PaddedPlane + lanes;

    /// <summary>Offsets of the rows of the implicit column matrix, one per (plane, kh, kw), optionally with the filter flipped.</summary>
    public void FillOffsets(nint* offsets, int planes, int kernelH, int kernelW, int dilationH, int dilationW, bool flipped)
    {
        for (int c = 0, row = 0; c < planes; c++)
        {
            for (int kh = 0; kh < kernelH; kh++)
            {
                for (int kw = 0; kw < kernelW; kw++, row++)
                {
                    int tapH = flipped ? kernelH - 1 - kh : kh, tapW = flipped ? kernelW - 1 - kw : kw;
                    offsets[row] = (nint)c * PaddedPlane + (nint)tapH * dilationH * PaddedWidth + (nint)tapW * dilationW;
                }
            }
        }
    }

    /// <summary>Copies <paramref name="planes"/> consecutive planes into zero-padded planes, and zeroes the slack after them.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Pad<T, TVector, TSimd>(T* source, int planes, T* destination)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVector : struct
        where TSimd : struct, ISimd<T, TVector>
    {
        // Zero everything with whole vectors, then drop the rows in: fewer partial vectors than padding row by row.
        VectorLoops.Fill<T, TVector, TSimd>(destination, (nint)planes * PaddedPlane, T.Zero);
        for (int c = 0; c < planes; c++)
        {
            T* from = source + (nint)c * Height * Width;
            T* to = destination + (nint)c * PaddedPlane + (nint)PadTop * PaddedWidth + PadLeft;
            for (int h = 0; h < Height; h++)
            {
                VectorLoops.Copy<T, TVector, TSimd>(from + (nint)h * Width, to + (nint)h * PaddedWidth, Width);
            }
        }

        VectorLoops.Fill<T, TVector, TSimd>(destination + (nint)planes * PaddedPlane, TSimd.Lanes, T.Zero);
    }

    /// <summary>Copies the real outputs of <paramref name="rows"/> virtual rows into dense <c>OutHeight x OutWidth</c> planes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Compact<T, TVector, TSimd>(T* source, int rows, T* destination)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVector : struct
        where TSimd : struct, ISimd<T, TVector>
    {
        for (int r = 0; r < rows; r++)
        {
            T* from = source + r * Stride;
            T* to = destination + (nint)r * OutHeight * OutWidth;
            for (int oh = 0; oh < OutHeight; oh++)
            {
                VectorLoops.Copy<T, TVector, TSimd>(from + (nint)oh * PaddedWidth, to + (nint)oh * OutWidth, OutWidth);
            }
        }
    }

    /// <summary>
    /// The inverse of <see cref="Compact{T, TVector, TSimd}"/>: spreads dense planes over virtual rows with zeros in the
    /// unused outputs (and up to a whole vector past the last one), so dot products over virtual rows ignore them.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Spread<T, TVector, TSimd>(T* source, int rows, T* destination)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVector : struct
        where TSimd : struct, ISimd<T, TVector>
    {
        for (int r = 0; r < rows; r++)
        {
            T* from = source + (nint)r * OutHeight * OutWidth;
            T* to = destination + r * Stride;
            VectorLoops.Fill<T, TVector, TSimd>(to, Columns, T.Zero);
            for (int oh = 0; oh < OutHeight; oh++)
            {
                VectorLoops.Copy<T, TVector, TSimd>(from + (nint)oh * OutWidth, to + (nint)oh * PaddedWidth, OutWidth);
            }
        }

        BatchRows.ZeroPadding<T, TVector, TSimd>(destination, Stride, rows, Columns);
    }

    private static ShiftedRows Create<T>(int height, int width, int padTop, int padLeft, int outHeight, int outWidth)
        where T : unmanaged
    {
        var shape = new ShiftedRows(height, width, padTop, padLeft, outHeight, outWidth, 0);
        int perLine = Math.Max(1, 64 / sizeof(T));
        long lines = ((long)shape.Columns + perLine - 1) / perLine;
        if (lines % 2 == 0) lines++;
        return shape with { Stride = (nint)(lines * perLine) };
    }
}
