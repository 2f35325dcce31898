using System.Numerics;
using System.Runtime.CompilerServices;

namespace StaticGraph.Backend.Cpu.Kernels;

/// <summary>
/// Convolution forward for one vector width: per batch of images and per group,
/// <c>y[OCg, pixels] = W[OCg, PatchSize] * col[PatchSize, pixels]</c>. The column matrix is implicit
/// (<see cref="ShiftedRows"/>) where that wastes little, else explicit (<see cref="Im2ColCore"/>, several small
/// images side by side per <see cref="ColumnBatch"/>), or, for unit-stride pointwise filters, the image itself.
/// The filters are packed once (<see cref="PackFilter{T, TVector, TSimd}"/>) for every image range of a batch.
/// </summary>
internal static unsafe class ConvForward
{
    public static long ScratchElements<T, TVector, TSimd>(in ConvGeometry g)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVector : struct
        where TSimd : struct, ISimd<T, TVector>
    {
        if (ShiftedRows.AppliesToForward(g))
        {
            var rows = ShiftedRows.ForInput<T>(g, ColumnBatch.ProductColumns);
            return ScratchArena<T>.Size(
                rows.PaddedElements(g.InChannelsPerGroup, TSimd.Lanes),
                (long)g.OutChannelsPerGroup * rows.RowStride,
                RowOffsets.Elements<T>(g.PatchSize),
                GemmMacroKernel.ScratchElements<T, TVector, TSimd>(0));
        }

        var batch = ColumnBatch.ForProducts<T>(g);
        return ScratchArena<T>.Size(
            (long)g.PatchSize * batch.Stride,
            batch.Images > 1 ? (long)g.OutChannelsPerGroup * batch.Stride : 0,
            RowOffsets.Elements<T>(g.PatchSize),
            GemmMacroKernel.ScratchElements<T, TVector, TSimd>(0));
    }

    /// <summary>Computes images <c>[imageStart, imageEnd)</c> with filters packed by <see cref="PackFilter{T, TVector, TSimd}"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run<T, TVector, TSimd>(in ConvGeometry g, T* x, T* packedWeights, T* y, int imageStart, int imageEnd, T* scratch)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVector : struct
        where TSimd : struct, ISimd<T, TVector>
    {
        if (ShiftedRows.AppliesToForward(g))
        {
            RunShifted<T, TVector, TSimd>(g, x, packedWeights, y, imageStart, imageEnd, scratch);
            return;
        }

        var batch = ColumnBatch.ForProducts<T>(g);
        int plane = g.OutPlaneSize, patch = g.PatchSize, outPerGroup = g.OutChannelsPerGroup;
        int tileRows = TSimd.TileRows, panelWidth = GemmMacroKernel.PanelWidth<T, TVector, TSimd>();
        var arena = new ScratchArena<T>(scratch);
        T* columns = arena.Take((long)patch * batch.Stride);
        T* product = arena.Take(batch.Images > 1 ? (long)outPerGroup * batch.Stride : 0);
        nint* rowOffsets = (nint*)arena.Take(RowOffsets.Elements<T>(patch));
        T* macroScratch = arena.Take(GemmMacroKernel.ScratchElements<T, TVector, TSimd>(0));
        nint packedGroupSize = PackedGroupSize<T, TVector, TSimd>(g);

        // The image is its own column matrix when the filter is pointwise and rows can be read as whole vectors.
        bool readImageInPlace = g.IsPointwise && batch.Images == 1 && plane % TSimd.Lanes == 0;
        RowOffsets.FillStrided(rowOffsets, patch, readImageInPlace ? plane : batch.Stride);
        for (int first = imageStart; first < imageEnd; first += batch.Images)
        {
            int images = Math.Min(batch.Images, imageEnd - first);
            for (int group = 0; group < g.Groups; group++)
            {
                T* b = columns;
                if (readImageInPlace)
                {
                    b = x + (long)first * g.InImageSize + (nint)group * g.InChannelsPerGroup * g.InPlaneSize;
                }
                else
                {
                    for (int i = 0; i < images; i++)
                    {
                        Im2ColCore.Im2Col<T, TVector, TSimd>(g, x + (long)(first + i) * g.InImageSize, group, columns + (nint)i * plane, batch.Stride);
                    }

                    BatchRows.ZeroPadding<T, TVector, TSimd>(columns, batch.Stride, patch, images * plane);
                }

                T* weights = packedWeights + group * packedGroupSize;
                T* output = y + (long)first * g.OutImageSize + (nint)group * outPerGroup * plane;
                if (images == 1)
                {
                    GemmMacroKernel.Run<T, TVector, TSimd>(
                        outPerGroup, plane, patch, weights, (nint)patch * tileRows, b, rowOffsets, panelWidth, true, output, plane, false, macroScratch);
                }
                else
                {
                    GemmMacroKernel.Run<T, TVector, TSimd>(
                        outPerGroup, images * plane, patch, weights, (nint)patch * tileRows, b, rowOffsets, panelWidth, true, product, batch.Stride, false, macroScratch);
                    BatchRows.Scatter<T, TVector, TSimd>(product, batch.Stride, outPerGroup, plane, images, output, g.OutImageSize);
                }
            }
        }
    }

    /// <summary>Implicit columns: the product reads the shifted rows of each padded image (see <see cref="ShiftedRows"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void RunShifted<T, TVector, TSimd>(in ConvGeometry g, T* x, T* packedWeights, T* y, int imageStart, int imageEnd, T* scratch)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVector : struct
        where TSimd : struct, ISimd<T, TVector>
    {
        var rows = ShiftedRows.ForInput<T>(g, ColumnBatch.ProductColumns);
        int patch = g.PatchSize, outPerGroup = g.OutChannelsPerGroup, inPerGroup = g.InChannelsPerGroup;
        int tileRows = TSimd.TileRows, panelWidth = GemmMacroKernel.PanelWidth<T, TVector, TSimd>();
        var arena = new ScratchArena<T>(scratch);
        T* padded = arena.Take(rows.PaddedElements(inPerGroup, TSimd.Lanes));
        T* product = arena.Take((long)outPerGroup * rows.RowStride);
        nint* rowOffsets = (nint*)arena.Take(RowOffsets.Elements<T>(patch));
        T* macroScratch = arena.Take(GemmMacroKernel.ScratchElements<T, TVector, TSimd>(0));
        nint packedGroupSize = PackedGroupSize<T, TVector, TSimd>(g);
        for (int first = imageStart; first < imageEnd; first += rows.Images)
        {
            // A short last batch has narrower rows, hence other offsets; the sums themselves do not change.
            var batch = rows.WithImages<T>(Math.Min(rows.Images, imageEnd - first));
            if (first == imageStart || batch.Images != rows.Images) batch.FillOffsets(rowOffsets, inPerGroup, flipped: false);
            for (int group = 0; group < g.Groups; group++)
            {
                nint groupInput = (nint)group * inPerGroup * g.InPlaneSize, groupOutput = (nint)group * outPerGroup * g.OutPlaneSize;
                batch.Pad<T, TVector, TSimd>(x + (long)first * g.InImageSize + groupInput, g.InImageSize, inPerGroup, padded);
                GemmMacroKernel.Run<T, TVector, TSimd>(
                    outPerGroup, batch.Columns, patch, packedWeights + group * packedGroupSize, (nint)patch * tileRows,
                    padded, rowOffsets, panelWidth, true, product, batch.RowStride, false, macroScratch);
                batch.Compact<T, TVector, TSimd>(product, outPerGroup, y + (long)first * g.OutImageSize + groupOutput, g.OutImageSize);
            }
        }
    }

    /// <summary>Packs every group's filters as the A operand (<see cref="FilterElements{T, TVector, TSimd}"/> elements).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void PackFilter<T, TVector, TSimd>(in ConvGeometry g, T* w, T* packedWeights)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVector : struct
        where TSimd : struct, ISimd<T, TVector>
    {
        int patch = g.PatchSize, outPerGroup = g.OutChannelsPerGroup, tileRows = TSimd.TileRows;
        nint packedGroupSize = PackedGroupSize<T, TVector, TSimd>(g);
        for (int group = 0; group < g.Groups; group++)
        {
            GemmPacking.PackA(false, outPerGroup, patch, w + (nint)group * outPerGroup * patch, patch, tileRows, packedWeights + group * packedGroupSize);
        }
    }

    /// <summary>Elements of the packed filters.</summary>
    public static long FilterElements<T, TVector, TSimd>(in ConvGeometry g)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVector : struct
        where TSimd : struct, ISimd<T, TVector>
        => (long)g.Groups * PackedGroupSize<T, TVector, TSimd>(g);

    private static nint PackedGroupSize<T, TVector, TSimd>(in ConvGeometry g)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVector : struct
        where TSimd : struct, ISimd<T, TVector>
        => (nint)GemmDriver.RoundUp(g.OutChannelsPerGroup, TSimd.TileRows) * g.PatchSize;
}
