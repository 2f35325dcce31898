using System.Numerics;
using System.Runtime.CompilerServices;

namespace StaticGraph.Backend.Cpu.Kernels;

/// <summary>
/// Tiles a product with pre-packed A over the micro-kernel. B is described by a panel stride and a table of row
/// offsets, which covers packed panels, row-major matrices read in place and the shifted rows of a padded image.
/// Loop order: column panel, then an L1-sized depth block, then row panels, so one <c>DepthBlock x panel</c> slice
/// of B stays in L1 while every row panel of A streams past it.
/// </summary>
internal static unsafe class GemmMacroKernel
{
    /// <summary>
    /// Largest depth per L1 block: 128 steps x 48 floats (or 24 doubles) = 24 KiB of B, half of a 48 KiB L1.
    /// Blocking does not change results: the micro-kernel continues each sum from the stored C.
    /// </summary>
    public const int DepthBlock = 128;

    /// <summary>Columns per panel: three vectors.</summary>
    public static int PanelWidth<T, TVector, TSimd>()
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVector : struct
        where TSimd : struct, ISimd<T, TVector>
        => 3 * TSimd.Lanes;

    /// <summary>
    /// Scratch (elements) for <see cref="Run{T, TVector, TSimd}"/>: an edge tile, plus room to copy a ragged last
    /// panel of the given depth (pass 0 when B is padded).
    /// </summary>
    public static long ScratchElements<T, TVector, TSimd>(int raggedDepth)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVector : struct
        where TSimd : struct, ISimd<T, TVector>
        => (long)(TSimd.TileRows + raggedDepth) * PanelWidth<T, TVector, TSimd>() + (raggedDepth * sizeof(nint) + sizeof(T) - 1) / sizeof(T);

    /// <summary>
    /// <c>C[m, n] = (accumulate ? C : 0) + A[m, depth] * B[depth, n]</c>.
    /// A: panels from <see cref="GemmPacking.PackA{T}"/>, panel q at <c>packedA + q * aPanelStride</c>.
    /// B: element (p, j) of the panel of columns starting at <c>q * PanelWidth</c> is at
    /// <c>b + q * bPanelStride + bRowOffsets[p] + j - q * PanelWidth</c>. <paramref name="bPadded"/> says every panel
    /// may be read as whole vectors; otherwise a ragged last panel is first copied to scratch.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run<T, TVector, TSimd>(
        int m, int n, int depth,
        T* packedA, nint aPanelStride,
        T* b, nint* bRowOffsets, nint bPanelStride, bool bPadded,
        T* c, nint ldc, bool accumulate, T* scratch)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVector : struct
        where TSimd : struct, ISimd<T, TVector>
    {
        if (m <= 0 || n <= 0) return;
        int lanes = TSimd.Lanes;
        int rowsPerTile = TSimd.TileRows;
        int panelWidth = PanelWidth<T, TVector, TSimd>();
        // The edge tile comes first so callers with padded B can size scratch for depth 0.
        T* edgeTile = scratch;
        T* raggedPanel = edgeTile + (nint)rowsPerTile * panelWidth;
        nint* raggedOffsets = (nint*)(raggedPanel + (nint)depth * panelWidth);
        // Equal blocks (144 = 72 + 72 rather than 128 + 16): a short last block would pay a full C reload for little work.
        int blockCount = Math.Max(1, (depth + DepthBlock - 1) / DepthBlock);
        int blockSize = Math.Max(1, (depth + blockCount - 1) / blockCount);

        for (int firstColumn = 0, panel = 0; firstColumn < n; firstColumn += panelWidth, panel++)
        {
            int columns = Math.Min(panelWidth, n - firstColumn);
            int vectors = (columns + lanes - 1) / lanes;
            int tileWidth = vectors * lanes;
            T* bPanel = b + panel * bPanelStride;
            nint* rowOffsets = bRowOffsets;
            if (!bPadded && columns != tileWidth)
            {
                CopyRaggedPanel(columns, depth, bPanel, bRowOffsets, tileWidth, raggedPanel, raggedOffsets);
                bPanel = raggedPanel;
                rowOffsets = raggedOffsets;
            }

            for (int firstDepth = 0; firstDepth < depth || firstDepth == 0; firstDepth += blockSize)
            {
                int blockDepth = Math.Min(blockSize, depth - firstDepth);
                bool continueSum = accumulate || firstDepth > 0;
                for (int firstRow = 0; firstRow < m; firstRow += rowsPerTile)
                {
                    T* aBlock = packedA + (firstRow / rowsPerTile) * aPanelStride + (nint)firstDepth * rowsPerTile;
                    T* cTile = c + firstRow * ldc + firstColumn;
                    int rows = Math.Min(rowsPerTile, m - firstRow);
                    if (rows == rowsPerTile && columns == tileWidth)
                    {
                        Tile<T, TVector, TSimd>(vectors, blockDepth, aBlock, bPanel, rowOffsets + firstDepth, cTile, ldc, continueSum);
                    }
                    else
                    {
                        // Edge tile: run the full kernel on a private copy, then write back only the valid part.
                        if (continueSum) CopyTile(rows, columns, cTile, ldc, edgeTile, panelWidth);
                        Tile<T, TVector, TSimd>(vectors, blockDepth, aBlock, bPanel, rowOffsets + firstDepth, edgeTile, panelWidth, continueSum);
                        CopyTile(rows, columns, edgeTile, panelWidth, cTile, ldc);
                    }
                }
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Tile<T, TVector, TSimd>(int vectors, int depth, T* a, T* b, nint* bRowOffsets, T* c, nint ldc, bool accumulate)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVector : struct
        where TSimd : struct, ISimd<T, TVector>
    {
        switch (vectors)
        {
            case 3:
                GemmMicroKernel.Run<T, TVector, TSimd, ThreeVectors>(depth, a, b, bRowOffsets, c, ldc, accumulate);
                break;
            case 2:
                GemmMicroKernel.Run<T, TVector, TSimd, TwoVectors>(depth, a, b, bRowOffsets, c, ldc, accumulate);
                break;
            default:
                GemmMicroKernel.Run<T, TVector, TSimd, OneVector>(depth, a, b, bRowOffsets, c, ldc, accumulate);
                break;
        }
    }

    /// <summary>Copies a ragged panel into rows of whole vectors (zero-padded), so its loads stay in bounds.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void CopyRaggedPanel<T>(int columns, int depth, T* panel, nint* rowOffsets, int paddedWidth, T* destination, nint* destinationOffsets)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int p = 0; p < depth; p++)
        {
            T* from = panel + rowOffsets[p];
            T* to = destination + (nint)p * paddedWidth;
            for (int j = 0; j < columns; j++) to[j] = from[j];
            for (int j = columns; j < paddedWidth; j++) to[j] = T.Zero;
            destinationOffsets[p] = (nint)p * paddedWidth;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void CopyTile<T>(int rows, int columns, T* source, nint sourceStride, T* destination, nint destinationStride)
        where T : unmanaged
    {
        for (int r = 0; r < rows; r++)
        {
            T* from = source + r * sourceStride;
            T* to = destination + r * destinationStride;
            for (int j = 0; j < columns; j++) to[j] = from[j];
        }
    }
}
