using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace StaticGraph.Backend.Cpu.Kernels;

/// <summary>
/// A 3x3, unit-stride convolution by Winograd F(2x2, 3x3) (<see cref="WinogradTransforms"/>), for one vector width: per
/// block of images, the input patches are transformed (B^T d B), then each of the 16 points of the transformed tiles is
/// one matrix product over the channels, <c>M[p][out, tiles] = U[p][out, in] * V[p][in, tiles]</c>, on the same
/// register-blocked GEMM as the direct convolution (<see cref="GemmMacroKernel"/>), then each tile's 2x2 outputs are
/// taken back (A^T M A). 16 products per 2x2 outputs and channel pair instead of 36. The input gradient of such a
/// convolution is one too (of dy, padded by 2 - pad, with the filters transposed and rotated), so it runs here as well.
/// </summary>
/// <remarks>
/// Every output is a sum in a fixed order that depends on neither the image range nor the block: its own tile's
/// transform, one product sum over the input channels, its tile's output transform. So, as for the direct kernels,
/// splitting a batch into ranges (threads) gives identical bits.
/// </remarks>
internal static unsafe class WinogradConvolution
{
    /// <summary>Scratch elements for <see cref="Run{T, TVector, TSimd}"/> on <paramref name="g"/> (the prepared filters apart).</summary>
    public static long ScratchElements<T, TVector, TSimd>(in ConvGeometry g)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVector : struct
        where TSimd : struct, ISimd<T, TVector>
    {
        var tiles = WinogradTiles.Of<T>(g, TSimd.Lanes);
        int points = WinogradTiles.Points;
        return ScratchArena<T>.Size(
            (long)tiles.PaddedRows * tiles.RowLength + TSimd.Lanes,
            (long)points * g.InChannels * tiles.BlockStride,
            (long)points * g.OutChannels * tiles.BlockStride,
            RowOffsets.Elements<T>(g.InChannels),
            GemmMacroKernel.ScratchElements<T, TVector, TSimd>(0));
    }

    /// <summary>Elements of the transformed, packed filters of <see cref="PrepareFilter{T, TVector, TSimd}"/>.</summary>
    public static long FilterElements<T, TVector, TSimd>(in ConvGeometry g)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVector : struct
        where TSimd : struct, ISimd<T, TVector>
        => WinogradTiles.Points * PackedPointSize<T, TVector, TSimd>(g);

    /// <summary>
    /// Transforms and packs the filters once for every image range of a batch: from w (OIHW), or, with
    /// <paramref name="flipTransposed"/>, from the filters of w transposed and rotated by 180 degrees (w then is
    /// <c>[g.InChannels, g.OutChannels, 3, 3]</c>: the input gradient's view of a forward filter).
    /// </summary>
    public static void PrepareFilter<T, TVector, TSimd>(in ConvGeometry g, T* w, bool flipTransposed, T* prepared)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVector : struct
        where TSimd : struct, ISimd<T, TVector>
        => WinogradTransforms.Filter(w, g.OutChannels, g.InChannels, flipTransposed, TSimd.TileRows, prepared, PackedPointSize<T, TVector, TSimd>(g));

    /// <summary>The outputs of images <c>[imageStart, imageEnd)</c> of <paramref name="g"/>, with filters from <see cref="PrepareFilter{T, TVector, TSimd}"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run<T, TVector, TSimd>(in ConvGeometry g, T* x, T* prepared, T* y, int imageStart, int imageEnd, T* scratch)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVector : struct
        where TSimd : struct, ISimd<T, TVector>
    {
        if (imageEnd <= imageStart) return;
        var tiles = WinogradTiles.Of<T>(g, TSimd.Lanes);
        int lanes = TSimd.Lanes, points = WinogradTiles.Points, tileRows = TSimd.TileRows;
        int inChannels = g.InChannels, outChannels = g.OutChannels;
        var arena = new ScratchArena<T>(scratch);
        nint packedSize = PackedPointSize<T, TVector, TSimd>(g);
        T* packed = prepared;
        T* padded = arena.Take((long)tiles.PaddedRows * tiles.RowLength + lanes);
        nint stride = tiles.BlockStride;
        T* transformed = arena.Take((long)points * inChannels * stride);
        T* products = arena.Take((long)points * outChannels * stride);
        nint* rowOffsets = (nint*)arena.Take(RowOffsets.Elements<T>(inChannels));
        T* macroScratch = arena.Take(GemmMacroKernel.ScratchElements<T, TVector, TSimd>(0));

        RowOffsets.FillStrided(rowOffsets, inChannels, stride);
        // The borders stay zero: each plane copy below writes only the interior.
        VectorLoops.Fill<T, TVector, TSimd>(padded, (nint)tiles.PaddedRows * tiles.RowLength + lanes, T.Zero);
        int perImage = tiles.TilesPerImage, panelWidth = GemmMacroKernel.PanelWidth<T, TVector, TSimd>();
        bool narrow = tiles.NarrowTransforms<T>(lanes);
        nint inPoint = (nint)inChannels * stride, outPoint = (nint)outChannels * stride;
        for (int first = imageStart; first < imageEnd; first += tiles.BlockImages)
        {
            int images = Math.Min(tiles.BlockImages, imageEnd - first);
            for (int i = 0; i < images; i++)
            {
                T* image = x + (long)(first + i) * inChannels * g.InPlaneSize;
                T* imageColumns = transformed + (nint)i * perImage;
                if (narrow) TransformImage<T, Vector256<T>, Simd256<T>>(g, tiles, image, padded, imageColumns, inPoint);
                else TransformImage<T, TVector, TSimd>(g, tiles, image, padded, imageColumns, inPoint);
            }

            int columns = tiles.TilesOf(images);
            for (int p = 0; p < points; p++)
            {
                GemmMacroKernel.Run<T, TVector, TSimd>(
                    outChannels, columns, inChannels, packed + p * packedSize, (nint)inChannels * tileRows,
                    transformed + p * inPoint, rowOffsets, panelWidth, true, products + p * outPoint, stride, false, macroScratch);
            }

            for (int i = 0; i < images; i++)
            {
                T* image = y + (long)(first + i) * outChannels * g.OutPlaneSize;
                T* imageProducts = products + (nint)i * perImage;
                if (narrow) UntransformImage<T, Vector256<T>, Simd256<T>>(g, tiles, imageProducts, image, outPoint);
                else UntransformImage<T, TVector, TSimd>(g, tiles, imageProducts, image, outPoint);
            }
        }
    }

    /// <summary>
    /// <c>B^T d B</c> of every tile of one image's channels: each plane copied into the zero-bordered
    /// <paramref name="padded"/>, then its tiles transformed a vector at a time into the image's columns of every point.
    /// The filter gradient transforms its input the same way.
    /// </summary>
    internal static void TransformImage<T, TVector, TSimd>(in ConvGeometry g, in WinogradTiles tiles, T* image, T* padded, T* columns, nint inPoint)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVector : struct
        where TSimd : struct, ISimd<T, TVector>
    {
        nint stride = tiles.BlockStride;
        for (int c = 0; c < g.InChannels; c++)
        {
            T* plane = image + (long)c * g.InPlaneSize;
            for (int h = 0; h < g.Height; h++)
            {
                VectorLoops.Copy<T, TVector, TSimd>(plane + (nint)h * g.Width, padded + (nint)(h + tiles.Pad) * tiles.RowLength + tiles.Pad, g.Width);
            }

            // Tile vectors in increasing order: a whole-vector store past a tile row's end is overwritten later.
            T* column = columns + (nint)c * stride;
            for (int a = 0; a < tiles.TilesH; a++)
            {
                for (int b = 0; b < tiles.TilesW; b += TSimd.Lanes)
                {
                    WinogradTransforms.Input<T, TVector, TSimd>(padded + (nint)2 * a * tiles.RowLength, tiles.RowLength, b, column + (nint)a * tiles.TilesW + b, inPoint);
                }
            }
        }
    }

    /// <summary><c>A^T m A</c> of every tile of one image's output channels, from the image's columns of the products.</summary>
    private static void UntransformImage<T, TVector, TSimd>(in ConvGeometry g, in WinogradTiles tiles, T* products, T* image, nint outPoint)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVector : struct
        where TSimd : struct, ISimd<T, TVector>
    {
        int lanes = TSimd.Lanes, outH = g.OutHeight, outW = g.OutWidth;
        for (int k = 0; k < g.OutChannels; k++)
        {
            T* m = products + (nint)k * tiles.BlockStride;
            T* plane = image + (long)k * g.OutPlaneSize;
            for (int a = 0; a < tiles.TilesH; a++)
            {
                for (int b = 0; b < tiles.TilesW; b += lanes)
                {
                    WinogradTransforms.Output<T, TVector, TSimd>(
                        m + (nint)a * tiles.TilesW + b, outPoint, plane + (nint)2 * a * outW + 2 * b, outW, Math.Min(2 * lanes, outW - 2 * b), 2 * a + 1 < outH);
                }
            }
        }
    }

    private static nint PackedPointSize<T, TVector, TSimd>(in ConvGeometry g)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVector : struct
        where TSimd : struct, ISimd<T, TVector>
        => (nint)GemmDriver.RoundUp(g.OutChannels, TSimd.TileRows) * g.InChannels;

    /// <summary>
    /// The forward convolution whose output is the input gradient of <paramref name="g"/> (unit stride): of dy, padded
    /// by <c>2 - pad</c>, into the input channels.
    /// </summary>
    public static ConvGeometry InputGradientAsForward(in ConvGeometry g) => new(
        g.Batch, g.OutChannels, g.OutHeight, g.OutWidth, g.InChannels, 3, 3, 1, 1, 2 - g.PadH, 2 - g.PadW, 1, 1, g.Groups);
}
