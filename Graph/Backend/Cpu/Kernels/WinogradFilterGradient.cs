using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace StaticGraph.Backend.Cpu.Kernels;

/// <summary>
/// The filter gradient of a 3x3, unit-stride convolution by Winograd F(3x3, 2x2) (<see cref="WinogradTransforms"/>),
/// for one vector width: per block of images, the input patches (B^T d B) and the output-gradient tiles (A e A^T) are
/// transformed, and for each of the 16 points the products over all tiles are summed,
/// <c>M[p][out, in] += E[p][out, tiles] . V[p][in, tiles]</c>, with the dot-product kernel of the direct filter gradient
/// (<see cref="GemmDotKernel"/>). M is the range's partial; partials of several ranges add up (in a fixed order), and
/// <see cref="Finish{T}"/> turns their sum into the filter gradient, <c>G^T M G</c>, once. 16 products per 2x2 output
/// tile and channel pair instead of 36.
/// </summary>
/// <remarks>
/// Blocks are consecutive images of a size fixed by the geometry (<see cref="WinogradTiles"/>), summed in order, so the
/// bits depend on the image range and never on timing; the kernel sums fixed chunks' partials in a fixed order, as it
/// does for the direct filter gradient.
/// </remarks>
internal static unsafe class WinogradFilterGradient
{
    /// <summary>Scratch elements for <see cref="Run{T, TVector, TSimd}"/> on <paramref name="g"/>.</summary>
    public static long ScratchElements<T, TVector, TSimd>(in ConvGeometry g)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVector : struct
        where TSimd : struct, ISimd<T, TVector>
    {
        var tiles = WinogradTiles.Of<T>(g, TSimd.Lanes);
        int points = WinogradTiles.Points;
        return ScratchArena<T>.Size(
            (long)tiles.PaddedRows * tiles.RowLength + TSimd.Lanes,
            (long)tiles.PaddedRows * tiles.RowLength + TSimd.Lanes,
            (long)points * g.InChannels * tiles.BlockStride,
            (long)points * g.OutChannels * tiles.BlockStride);
    }

    /// <summary>Elements of a partial: 16 points times output times input channels.</summary>
    public static long PartialElements(in ConvGeometry g) => (long)WinogradTiles.Points * g.OutChannels * g.InChannels;

    /// <summary>
    /// Overwrites <paramref name="partial"/> (<see cref="PartialElements"/>) with the transformed filter gradient summed
    /// over images <c>[imageStart, imageEnd)</c> (zero for none).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run<T, TVector, TSimd>(in ConvGeometry g, T* x, T* dy, T* partial, int imageStart, int imageEnd, T* scratch)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVector : struct
        where TSimd : struct, ISimd<T, TVector>
    {
        var tiles = WinogradTiles.Of<T>(g, TSimd.Lanes);
        int lanes = TSimd.Lanes, points = WinogradTiles.Points;
        int inChannels = g.InChannels, outChannels = g.OutChannels;
        var arena = new ScratchArena<T>(scratch);
        nint paddedElements = (nint)tiles.PaddedRows * tiles.RowLength + lanes;
        T* padded = arena.Take(paddedElements);
        T* paddedGradient = arena.Take(paddedElements);
        nint stride = tiles.BlockStride;
        T* transformed = arena.Take((long)points * inChannels * stride);
        T* gradients = arena.Take((long)points * outChannels * stride);
        nint pairs = (nint)outChannels * inChannels;
        T* sums = partial;
        int rowsA = GemmDotKernel.RowsA<T, TVector, TSimd>(), rowsB = GemmDotKernel.RowsB<T, TVector, TSimd>();
        nint* rowOffsets = stackalloc nint[rowsB];

        if (imageEnd <= imageStart)
        {
            VectorLoops.Fill<T, TVector, TSimd>(partial, points * pairs, T.Zero);
            return;
        }

        // Borders stay zero: each plane copy writes only the interior (and dy past odd outputs is zero, adding nothing).
        VectorLoops.Fill<T, TVector, TSimd>(padded, paddedElements, T.Zero);
        VectorLoops.Fill<T, TVector, TSimd>(paddedGradient, paddedElements, T.Zero);
        int perImage = tiles.TilesPerImage;
        bool narrow = tiles.NarrowTransforms<T>(lanes);
        nint inPoint = (nint)inChannels * stride, outPoint = (nint)outChannels * stride;
        for (int first = imageStart; first < imageEnd; first += tiles.BlockImages)
        {
            int images = Math.Min(tiles.BlockImages, imageEnd - first);
            for (int i = 0; i < images; i++)
            {
                T* image = x + (long)(first + i) * inChannels * g.InPlaneSize, gradient = dy + (long)(first + i) * outChannels * g.OutPlaneSize;
                T* inColumns = transformed + (nint)i * perImage, outColumns = gradients + (nint)i * perImage;
                if (narrow)
                {
                    WinogradConvolution.TransformImage<T, Vector256<T>, Simd256<T>>(g, tiles, image, padded, inColumns, inPoint);
                    TransformGradientImage<T, Vector256<T>, Simd256<T>>(g, tiles, gradient, paddedGradient, outColumns, outPoint);
                }
                else
                {
                    WinogradConvolution.TransformImage<T, TVector, TSimd>(g, tiles, image, padded, inColumns, inPoint);
                    TransformGradientImage<T, TVector, TSimd>(g, tiles, gradient, paddedGradient, outColumns, outPoint);
                }
            }

            int length = tiles.TilesOf(images);
            bool accumulate = first > imageStart;
            for (int p = 0; p < points; p++)
            {
                T* e = gradients + p * outPoint, v = transformed + p * inPoint, m = sums + p * pairs;
                for (int j = 0; j < inChannels; j += rowsB)
                {
                    int rows = Math.Min(rowsB, inChannels - j);
                    for (int r = 0; r < rowsB; r++) rowOffsets[r] = (nint)(j + Math.Min(r, rows - 1)) * stride;
                    for (int i = 0; i < outChannels; i += rowsA)
                    {
                        GemmDotKernel.Run<T, TVector, TSimd>(
                            length, e + (nint)i * stride, stride, v, rowOffsets, m + (nint)i * inChannels + j, inChannels,
                            Math.Min(rowsA, outChannels - i), rows, accumulate);
                    }
                }
            }
        }

    }

    /// <summary>
    /// <c>A e A^T</c> of every 2x2 tile of one image's output gradient: each plane copied into
    /// <paramref name="paddedGradient"/> (zero past the output), then its tiles transformed a vector at a time.
    /// </summary>
    private static void TransformGradientImage<T, TVector, TSimd>(in ConvGeometry g, in WinogradTiles tiles, T* gradient, T* paddedGradient, T* columns, nint outPoint)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVector : struct
        where TSimd : struct, ISimd<T, TVector>
    {
        int outH = g.OutHeight, outW = g.OutWidth;
        for (int k = 0; k < g.OutChannels; k++)
        {
            T* plane = gradient + (long)k * g.OutPlaneSize;
            for (int h = 0; h < outH; h++)
            {
                VectorLoops.Copy<T, TVector, TSimd>(plane + (nint)h * outW, paddedGradient + (nint)h * tiles.RowLength, outW);
            }

            T* column = columns + (nint)k * tiles.BlockStride;
            for (int a = 0; a < tiles.TilesH; a++)
            {
                for (int b = 0; b < tiles.TilesW; b += TSimd.Lanes)
                {
                    WinogradTransforms.Gradient<T, TVector, TSimd>(paddedGradient + (nint)2 * a * tiles.RowLength, tiles.RowLength, b, column + (nint)a * tiles.TilesW + b, outPoint);
                }
            }
        }
    }

    /// <summary>The filter gradient of channel pairs <c>[first, end)</c> (pair = out * in channels + in) from a sum of partials.</summary>
    public static void Finish<T>(in ConvGeometry g, T* partial, T* dw, int first, int end)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        nint pairs = (nint)g.OutChannels * g.InChannels;
        for (nint pair = first; pair < end; pair++) WinogradTransforms.FilterGradient(partial + pair, pairs, dw + pair * 9);
    }
}
