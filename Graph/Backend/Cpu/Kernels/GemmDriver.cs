using System.Numerics;
using System.Runtime.CompilerServices;

namespace StaticGraph.Backend.Cpu.Kernels;

/// <summary>
/// General <c>C = op(A) * op(B)</c> for one vector width: blocks the operands so packed slices stay in cache and
/// feeds them to <see cref="GemmMacroKernel"/>, or to <see cref="GemmDotKernel"/> when only B is transposed
/// (then both operands are contiguous along the summed dimension and need no packing).
/// </summary>
internal static unsafe class GemmDriver
{
    /// <summary>Depth of one packed slice (bounds scratch; the macro-kernel blocks further for L1).</summary>
    private const int PackDepth = 512;

    /// <summary>Rows of A packed at once: 192 x 512 floats = 384 KiB, comfortably inside a 2 MiB L2.</summary>
    private const int RowBlock = 192;

    /// <summary>Columns of a transposed B packed at once; a multiple of every panel width (48, 24, 12, 3).</summary>
    private const int ColumnBlock = 1536;

    /// <summary>
    /// Shortest depth for which A * B^T uses dot products: each tile ends with 24 horizontal reductions, which short
    /// rows cannot amortise; below this, B^T is packed and the register-blocked kernel is used instead.
    /// </summary>
    private const int DotMinDepth = 64;

    public static long ScratchElements<T, TVector, TSimd>(int m, int n, int k)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVector : struct
        where TSimd : struct, ISimd<T, TVector>
    {
        int panelWidth = GemmMacroKernel.PanelWidth<T, TVector, TSimd>();
        long depth = Math.Clamp(k, 1, PackDepth);
        long rows = Math.Min(RoundUp(Math.Max(m, 1), TSimd.TileRows), RowBlock);
        long columns = Math.Min(RoundUp(Math.Max(n, 1), panelWidth), ColumnBlock);
        long offsets = (depth * sizeof(nint) + sizeof(T) - 1) / sizeof(T);
        return rows * depth + depth * columns + offsets + GemmMacroKernel.ScratchElements<T, TVector, TSimd>((int)depth);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Multiply<T, TVector, TSimd>(
        bool transposeA, bool transposeB, int m, int n, int k,
        T* a, nint lda, T* b, nint ldb, T* c, nint ldc, bool accumulate, T* scratch)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVector : struct
        where TSimd : struct, ISimd<T, TVector>
    {
        if (m == 0 || n == 0) return;
        if (transposeB && !transposeA && k >= DotMinDepth)
        {
            DotProducts<T, TVector, TSimd>(m, n, k, a, lda, b, ldb, c, ldc, accumulate);
            return;
        }

        int panelWidth = GemmMacroKernel.PanelWidth<T, TVector, TSimd>();
        int tileRows = TSimd.TileRows;
        int depthCap = Math.Clamp(k, 1, PackDepth);
        T* packedA = scratch;
        T* packedB = packedA + (nint)Math.Min(RoundUp(m, tileRows), RowBlock) * depthCap;
        nint* rowOffsets = (nint*)(packedB + (nint)Math.Min(RoundUp(n, panelWidth), ColumnBlock) * depthCap);
        T* macroScratch = (T*)(rowOffsets + depthCap);
        // B is read in place when its rows are cache-line aligned; otherwise packing is cheaper than split loads.
        bool packB = transposeB || (ldb * sizeof(T)) % 64 != 0 || ((nint)b & 63) != 0;
        for (int p = 0; p < depthCap; p++) rowOffsets[p] = packB ? (nint)p * panelWidth : p * ldb;

        for (int firstColumn = 0; firstColumn < n; firstColumn += ColumnBlock)
        {
            int columns = Math.Min(ColumnBlock, n - firstColumn);
            // k == 0 still makes one pass so that a non-accumulating product writes zeros.
            for (int firstDepth = 0; firstDepth < k || firstDepth == 0; firstDepth += PackDepth)
            {
                int depth = Math.Min(PackDepth, k - firstDepth);
                bool continueSum = accumulate || firstDepth > 0;
                T* bBlock;
                nint bPanelStride;
                if (packB)
                {
                    if (transposeB) GemmPacking.PackTransposedB(columns, depth, b + firstColumn * ldb + firstDepth, ldb, panelWidth, packedB);
                    else GemmPacking.PackB<T, TVector, TSimd>(columns, depth, b + firstDepth * ldb + firstColumn, ldb, panelWidth, packedB);
                    bBlock = packedB;
                    bPanelStride = (nint)depth * panelWidth;
                }
                else
                {
                    bBlock = b + firstDepth * ldb + firstColumn;
                    bPanelStride = panelWidth;
                }

                for (int firstRow = 0; firstRow < m; firstRow += RowBlock)
                {
                    int rows = Math.Min(RowBlock, m - firstRow);
                    T* aBlock = transposeA ? a + firstDepth * lda + firstRow : a + firstRow * lda + firstDepth;
                    GemmPacking.PackA(transposeA, rows, depth, aBlock, lda, tileRows, packedA);
                    GemmMacroKernel.Run<T, TVector, TSimd>(
                        rows, columns, depth, packedA, (nint)depth * tileRows,
                        bBlock, rowOffsets, bPanelStride, packB,
                        c + firstRow * ldc + firstColumn, ldc, continueSum, macroScratch);
                }
            }
        }
    }

    /// <summary>C = A * B^T with A [m, k] and B [n, k] both row-major: tiles of dot products, no packing.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void DotProducts<T, TVector, TSimd>(
        int m, int n, int k, T* a, nint lda, T* b, nint ldb, T* c, nint ldc, bool accumulate)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVector : struct
        where TSimd : struct, ISimd<T, TVector>
    {
        int rowsA = GemmDotKernel.RowsA<T, TVector, TSimd>();
        int rowsB = GemmDotKernel.RowsB<T, TVector, TSimd>();
        nint* rowOffsets = stackalloc nint[rowsB];
        for (int r = 0; r < rowsB; r++) rowOffsets[r] = r * ldb;
        // A tile holds more B rows than A rows, so keeping the B rows in L1 and streaming A past them moves the least data.
        for (int j = 0; j < n; j += rowsB)
        {
            for (int i = 0; i < m; i += rowsA)
            {
                GemmDotKernel.Run<T, TVector, TSimd>(
                    k, a + i * lda, lda, b + j * ldb, rowOffsets,
                    c + i * ldc + j, ldc, Math.Min(rowsA, m - i), Math.Min(rowsB, n - j), accumulate);
            }
        }
    }

    internal static int RoundUp(int value, int multiple) => (value + multiple - 1) / multiple * multiple;
}
