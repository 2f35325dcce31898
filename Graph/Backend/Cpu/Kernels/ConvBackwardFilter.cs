using System.Numerics;
using System.Runtime.CompilerServices;

namespace StaticGraph.Backend.Cpu.Kernels;

/// <summary>
/// Convolution filter gradient for one vector width: per batch of images and per group,
/// <c>dW[OCg, PatchSize] (+)= dy[OCg, pixels] * col[PatchSize, pixels]^T</c> with <see cref="GemmDotKernel"/>,
/// whose operands are both contiguous along the pixels, so nothing is transposed. The columns are implicit
/// (<see cref="ShiftedRows"/>, with dy spread over the same virtual grid) where that wastes little, else explicit.
/// Batches are consecutive, of a size fixed by the geometry; the first overwrites dW, the others add to it.
/// </summary>
internal static unsafe class ConvBackwardFilter
{
    public static long ScratchElements<T, TVector, TSimd>(in ConvGeometry g)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVector : struct
        where TSimd : struct, ISimd<T, TVector>
    {
        if (ShiftedRows.AppliesToFilterGradient(g))
        {
            var rows = ShiftedRows.ForInput<T>(g, ColumnBatch.DotColumns);
            return ScratchArena<T>.Size(
                rows.PaddedElements(g.InChannelsPerGroup, TSimd.Lanes),
                (long)g.OutChannelsPerGroup * rows.RowStride,
                RowOffsets.Elements<T>(g.PatchSize));
        }

        var batch = ColumnBatch.ForDots<T>(g);
        return ScratchArena<T>.Size((long)g.PatchSize * batch.Stride, (long)g.OutChannelsPerGroup * batch.Stride);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run<T, TVector, TSimd>(in ConvGeometry g, T* x, T* dy, T* dw, int imageStart, int imageEnd, T* scratch)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVector : struct
        where TSimd : struct, ISimd<T, TVector>
    {
        var batch = ColumnBatch.ForDots<T>(g);
        int plane = g.OutPlaneSize, patch = g.PatchSize, outPerGroup = g.OutChannelsPerGroup;
        var arena = new ScratchArena<T>(scratch);
        T* columns = arena.Take((long)patch * batch.Stride);
        T* gradients = arena.Take((long)outPerGroup * batch.Stride);
        int rowsA = GemmDotKernel.RowsA<T, TVector, TSimd>(), rowsB = GemmDotKernel.RowsB<T, TVector, TSimd>();
        nint* rowOffsets = stackalloc nint[rowsB];

        if (imageEnd <= imageStart)
        {
            VectorLoops.Fill<T, TVector, TSimd>(dw, g.WeightSize, T.Zero);
            return;
        }

        if (ShiftedRows.AppliesToFilterGradient(g))
        {
            RunShifted<T, TVector, TSimd>(g, x, dy, dw, imageStart, imageEnd, scratch);
            return;
        }

        for (int first = imageStart; first < imageEnd; first += batch.Images)
        {
            int images = Math.Min(batch.Images, imageEnd - first);
            int length = images * plane;
            bool accumulate = first > imageStart;
            for (int group = 0; group < g.Groups; group++)
            {
                T* b = columns;
                nint ldb = batch.Stride;
                if (g.IsPointwise && images == 1)
                {
                    b = x + (long)first * g.InImageSize + (nint)group * g.InChannelsPerGroup * g.InPlaneSize;
                    ldb = plane;
                }
                else
                {
                    for (int i = 0; i < images; i++)
                    {
                        Im2ColCore.Im2Col<T, TVector, TSimd>(g, x + (long)(first + i) * g.InImageSize, group, columns + (nint)i * plane, batch.Stride);
                    }
                }

                T* a = dy + (long)first * g.OutImageSize + (nint)group * outPerGroup * plane;
                nint lda = plane;
                if (images > 1)
                {
                    BatchRows.Gather<T, TVector, TSimd>(a, g.OutImageSize, outPerGroup, plane, images, gradients, batch.Stride);
                    a = gradients;
                    lda = batch.Stride;
                }

                RowOffsets.FillStrided(rowOffsets, rowsB, ldb);

                // Column rows (6 per tile) stay in L1 while the fewer gradient rows stream past them.
                T* weightGrad = dw + (nint)group * outPerGroup * patch;
                for (int j = 0; j < patch; j += rowsB)
                {
                    for (int i = 0; i < outPerGroup; i += rowsA)
                    {
                        GemmDotKernel.Run<T, TVector, TSimd>(
                            length, a + i * lda, lda, b + j * ldb, rowOffsets, weightGrad + (nint)i * patch + j, patch,
                            Math.Min(rowsA, outPerGroup - i), Math.Min(rowsB, patch - j), accumulate);
                    }
                }
            }
        }
    }

    /// <summary>
    /// Implicit columns: dot products between dy, spread over virtual rows with zeros in the unused outputs, and the shifted
    /// rows of the padded image (see <see cref="ShiftedRows"/>), so no column matrix is written.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void RunShifted<T, TVector, TSimd>(in ConvGeometry g, T* x, T* dy, T* dw, int imageStart, int imageEnd, T* scratch)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVector : struct
        where TSimd : struct, ISimd<T, TVector>
    {
        var rows = ShiftedRows.ForInput<T>(g, ColumnBatch.DotColumns);
        int patch = g.PatchSize, outPerGroup = g.OutChannelsPerGroup, inPerGroup = g.InChannelsPerGroup;
        var arena = new ScratchArena<T>(scratch);
        T* padded = arena.Take(rows.PaddedElements(inPerGroup, TSimd.Lanes));
        T* gradients = arena.Take((long)outPerGroup * rows.RowStride);
        nint* rowOffsets = (nint*)arena.Take(RowOffsets.Elements<T>(patch));
        int rowsA = GemmDotKernel.RowsA<T, TVector, TSimd>(), rowsB = GemmDotKernel.RowsB<T, TVector, TSimd>();

        for (int first = imageStart; first < imageEnd; first += rows.Images)
        {
            bool accumulate = first > imageStart;
            var batch = rows.WithImages<T>(Math.Min(rows.Images, imageEnd - first));
            if (first == imageStart || batch.Images != rows.Images) batch.FillOffsets(rowOffsets, inPerGroup, flipped: false);
            for (int group = 0; group < g.Groups; group++)
            {
                nint groupInput = (nint)group * inPerGroup * g.InPlaneSize, groupOutput = (nint)group * outPerGroup * g.OutPlaneSize;
                batch.Pad<T, TVector, TSimd>(x + (long)first * g.InImageSize + groupInput, g.InImageSize, inPerGroup, padded);
                batch.Spread<T, TVector, TSimd>(dy + (long)first * g.OutImageSize + groupOutput, g.OutImageSize, outPerGroup, gradients);
                T* weightGrad = dw + (nint)group * outPerGroup * patch;
                for (int j = 0; j < patch; j += rowsB)
                {
                    for (int i = 0; i < outPerGroup; i += rowsA)
                    {
                        GemmDotKernel.Run<T, TVector, TSimd>(
                            batch.Columns, gradients + i * batch.RowStride, batch.RowStride, padded, rowOffsets + j, weightGrad + (nint)i * patch + j, patch,
                            Math.Min(rowsA, outPerGroup - i), Math.Min(rowsB, patch - j), accumulate);
                    }
                }
            }
        }
    }
}
