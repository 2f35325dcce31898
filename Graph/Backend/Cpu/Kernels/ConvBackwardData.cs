using System.Numerics;
using System.Runtime.CompilerServices;

namespace StaticGraph.Backend.Cpu.Kernels;

/// <summary>
/// Convolution input gradient for one vector width. With unit stride (and enough channels per group to fill the
/// register tiles) it is a forward convolution of the padded dy over implicit columns (<see cref="ShiftedRows"/>)
/// that writes dx directly. Otherwise, per batch of images and per group, <c>dcol[PatchSize, pixels] = W^T[PatchSize, OCg] * dy[OCg, pixels]</c>, and
/// <see cref="Im2ColCore.Col2ImAccumulate"/> adds the columns back onto dx (zeroed first); unit-stride pointwise
/// filters write dx directly. The filters are packed once (<see cref="PackFilter{T, TVector, TSimd}"/>) for every image
/// range of a batch, in the layout the chosen path reads.
/// </summary>
internal static unsafe class ConvBackwardData
{
    public static long ScratchElements<T, TVector, TSimd>(in ConvGeometry g)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVector : struct
        where TSimd : struct, ISimd<T, TVector>
    {
        if (ShiftedRows.AppliesToInputGradient(g))
        {
            var rows = ShiftedRows.ForOutputGradient<T>(g, ColumnBatch.ProductColumns);
            int depth = g.OutChannelsPerGroup * g.KernelH * g.KernelW;
            return ScratchArena<T>.Size(
                rows.PaddedElements(g.OutChannelsPerGroup, TSimd.Lanes),
                (long)g.InChannelsPerGroup * rows.RowStride,
                RowOffsets.Elements<T>(depth),
                GemmMacroKernel.ScratchElements<T, TVector, TSimd>(0));
        }

        var batch = ColumnBatch.ForProducts<T>(g);
        return ScratchArena<T>.Size(
            (long)g.OutChannelsPerGroup * batch.Stride,
            (long)g.PatchSize * batch.Stride,
            RowOffsets.Elements<T>(g.OutChannelsPerGroup),
            GemmMacroKernel.ScratchElements<T, TVector, TSimd>(0));
    }

    /// <summary>Computes images <c>[imageStart, imageEnd)</c> with filters packed by <see cref="PackFilter{T, TVector, TSimd}"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run<T, TVector, TSimd>(in ConvGeometry g, T* dy, T* packedWeights, T* dx, int imageStart, int imageEnd, T* scratch)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVector : struct
        where TSimd : struct, ISimd<T, TVector>
    {
        if (ShiftedRows.AppliesToInputGradient(g))
        {
            RunShifted<T, TVector, TSimd>(g, dy, packedWeights, dx, imageStart, imageEnd, scratch);
            return;
        }

        var batch = ColumnBatch.ForProducts<T>(g);
        int plane = g.OutPlaneSize, patch = g.PatchSize, outPerGroup = g.OutChannelsPerGroup;
        int tileRows = TSimd.TileRows, panelWidth = GemmMacroKernel.PanelWidth<T, TVector, TSimd>();
        var arena = new ScratchArena<T>(scratch);
        T* gradients = arena.Take((long)outPerGroup * batch.Stride);
        T* columns = arena.Take((long)patch * batch.Stride);
        nint* rowOffsets = (nint*)arena.Take(RowOffsets.Elements<T>(outPerGroup));
        T* macroScratch = arena.Take(GemmMacroKernel.ScratchElements<T, TVector, TSimd>(0));

        nint packedGroupSize = (nint)GemmDriver.RoundUp(patch, tileRows) * outPerGroup;
        bool aligned = plane % TSimd.Lanes == 0;
        bool writeImageDirectly = g.IsPointwise && batch.Images == 1 && aligned;
        if (!writeImageDirectly && imageEnd > imageStart)
        {
            VectorLoops.Fill<T, TVector, TSimd>(dx + (long)imageStart * g.InImageSize, (nint)(imageEnd - imageStart) * g.InImageSize, T.Zero);
        }

        for (int first = imageStart; first < imageEnd; first += batch.Images)
        {
            int images = Math.Min(batch.Images, imageEnd - first);
            for (int group = 0; group < g.Groups; group++)
            {
                T* source = dy + (long)first * g.OutImageSize + (nint)group * outPerGroup * plane;
                T* b = source;
                bool gather = images > 1 || !aligned;
                if (gather)
                {
                    BatchRows.Gather<T, TVector, TSimd>(source, g.OutImageSize, outPerGroup, plane, images, gradients, batch.Stride);
                    b = gradients;
                }

                RowOffsets.FillStrided(rowOffsets, outPerGroup, gather ? batch.Stride : plane);

                T* weights = packedWeights + group * packedGroupSize;
                T* imageGrad = dx + (long)first * g.InImageSize;
                if (writeImageDirectly)
                {
                    T* target = imageGrad + (nint)group * g.InChannelsPerGroup * g.InPlaneSize;
                    GemmMacroKernel.Run<T, TVector, TSimd>(
                        patch, plane, outPerGroup, weights, (nint)outPerGroup * tileRows, b, rowOffsets, panelWidth, true, target, plane, false, macroScratch);
                    continue;
                }

                GemmMacroKernel.Run<T, TVector, TSimd>(
                    patch, images * plane, outPerGroup, weights, (nint)outPerGroup * tileRows, b, rowOffsets, panelWidth, true, columns, batch.Stride, false, macroScratch);
                for (int i = 0; i < images; i++)
                {
                    Im2ColCore.Col2ImAccumulate<T, TVector, TSimd>(g, columns + (nint)i * plane, batch.Stride, group, imageGrad + (long)i * g.InImageSize, true);
                }
            }
        }
    }

    /// <summary>
    /// Unit stride: dx is the convolution of dy, padded by <c>dilation * (kernel - 1) - pad</c>, with the flipped filters
    /// transposed over channels. That is a forward product over the shifted rows of the padded dy (see
    /// <see cref="ShiftedRows"/>) which writes dx directly, with no column matrix and no scatter-add.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void RunShifted<T, TVector, TSimd>(in ConvGeometry g, T* dy, T* packedWeights, T* dx, int imageStart, int imageEnd, T* scratch)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVector : struct
        where TSimd : struct, ISimd<T, TVector>
    {
        var rows = ShiftedRows.ForOutputGradient<T>(g, ColumnBatch.ProductColumns);
        int inPerGroup = g.InChannelsPerGroup, outPerGroup = g.OutChannelsPerGroup, taps = g.KernelH * g.KernelW;
        int depth = outPerGroup * taps;
        int tileRows = TSimd.TileRows, panelWidth = GemmMacroKernel.PanelWidth<T, TVector, TSimd>();
        var arena = new ScratchArena<T>(scratch);
        nint packedGroupSize = (nint)GemmDriver.RoundUp(inPerGroup, tileRows) * depth;
        T* padded = arena.Take(rows.PaddedElements(outPerGroup, TSimd.Lanes));
        T* product = arena.Take((long)inPerGroup * rows.RowStride);
        nint* rowOffsets = (nint*)arena.Take(RowOffsets.Elements<T>(depth));
        T* macroScratch = arena.Take(GemmMacroKernel.ScratchElements<T, TVector, TSimd>(0));

        for (int first = imageStart; first < imageEnd; first += rows.Images)
        {
            // Depth index (o, kh, kw) meets dy through the flipped tap, so the filters themselves are packed unflipped.
            var batch = rows.WithImages<T>(Math.Min(rows.Images, imageEnd - first));
            if (first == imageStart || batch.Images != rows.Images) batch.FillOffsets(rowOffsets, outPerGroup, flipped: true);
            for (int group = 0; group < g.Groups; group++)
            {
                nint groupInput = (nint)group * inPerGroup * g.InPlaneSize, groupOutput = (nint)group * outPerGroup * g.OutPlaneSize;
                batch.Pad<T, TVector, TSimd>(dy + (long)first * g.OutImageSize + groupOutput, g.OutImageSize, outPerGroup, padded);
                GemmMacroKernel.Run<T, TVector, TSimd>(
                    inPerGroup, batch.Columns, depth, packedWeights + group * packedGroupSize, (nint)depth * tileRows,
                    padded, rowOffsets, panelWidth, true, product, batch.RowStride, false, macroScratch);
                batch.Compact<T, TVector, TSimd>(product, inPerGroup, dx + (long)first * g.InImageSize + groupInput, g.InImageSize);
            }
        }
    }

    /// <summary>
    /// Packs one group's filters <c>[OCg, Cg, KH, KW]</c> as an A operand with rows c and depth index (o, kh, kw):
    /// panel element (p = o * KH * KW + tap, r) is <c>w[o, c0 + r, tap]</c>, zero past the last channel.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void PackChannelsByTaps<T>(in ConvGeometry g, T* w, int tileRows, T* destination)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int inPerGroup = g.InChannelsPerGroup, taps = g.KernelH * g.KernelW, depth = g.OutChannelsPerGroup * taps;
        for (int firstRow = 0; firstRow < inPerGroup; firstRow += tileRows)
        {
            T* panel = destination + (nint)(firstRow / tileRows) * depth * tileRows;
            for (int p = 0; p < depth; p++)
            {
                int o = p / taps, tap = p % taps;
                T* target = panel + (nint)p * tileRows;
                for (int r = 0; r < tileRows; r++)
                {
                    int c = firstRow + r;
                    target[r] = c < inPerGroup ? w[((nint)o * inPerGroup + c) * taps + tap] : T.Zero;
                }
            }
        }
    }

    /// <summary>Packs every group's filters in the layout <see cref="Run{T, TVector, TSimd}"/> reads for <paramref name="g"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void PackFilter<T, TVector, TSimd>(in ConvGeometry g, T* w, T* packedWeights)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVector : struct
        where TSimd : struct, ISimd<T, TVector>
    {
        int tileRows = TSimd.TileRows, outPerGroup = g.OutChannelsPerGroup, patch = g.PatchSize;
        if (ShiftedRows.AppliesToInputGradient(g))
        {
            nint groupSize = (nint)GemmDriver.RoundUp(g.InChannelsPerGroup, tileRows) * outPerGroup * g.KernelH * g.KernelW;
            for (int group = 0; group < g.Groups; group++)
            {
                PackChannelsByTaps(g, w + (nint)group * outPerGroup * patch, tileRows, packedWeights + group * groupSize);
            }

            return;
        }

        // A = W^T: packing the transpose reads contiguous runs of W, so it costs the same as packing W.
        nint packedGroupSize = (nint)GemmDriver.RoundUp(patch, tileRows) * outPerGroup;
        for (int group = 0; group < g.Groups; group++)
        {
            GemmPacking.PackA(true, patch, outPerGroup, w + (nint)group * outPerGroup * patch, patch, tileRows, packedWeights + group * packedGroupSize);
        }
    }

    /// <summary>Elements of the packed filters.</summary>
    public static long FilterElements<T, TVector, TSimd>(in ConvGeometry g)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVector : struct
        where TSimd : struct, ISimd<T, TVector>
        => ShiftedRows.AppliesToInputGradient(g)
            ? (long)g.Groups * GemmDriver.RoundUp(g.InChannelsPerGroup, TSimd.TileRows) * g.OutChannelsPerGroup * g.KernelH * g.KernelW
            : (long)g.Groups * GemmDriver.RoundUp(g.PatchSize, TSimd.TileRows) * g.OutChannelsPerGroup;
}
