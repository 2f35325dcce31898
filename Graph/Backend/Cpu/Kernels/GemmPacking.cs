using System.Numerics;
using System.Runtime.CompilerServices;

namespace StaticGraph.Backend.Cpu.Kernels;

/// <summary>
/// Copies operands into the layouts the micro-kernel streams: A as panels of <c>tileRows</c> rows stored depth-major
/// (one broadcast source per row and depth step), B as panels of <c>panelWidth</c> columns stored depth-major
/// (a few whole vectors per depth step). Padding is zero-filled so edge tiles can run the full kernel.
/// </summary>
internal static unsafe class GemmPacking
{
    /// <summary>
    /// Packs rows [0, rows) and depth [0, depth) of op(A) (op = transpose when <paramref name="transposed"/>) into
    /// panels of <paramref name="tileRows"/> rows; panel q starts at <c>destination + q * depth * tileRows</c> and holds
    /// element (row, p) at <c>p * tileRows + row % tileRows</c>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void PackA<T>(bool transposed, int rows, int depth, T* a, nint lda, int tileRows, T* destination)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int firstRow = 0; firstRow < rows; firstRow += tileRows)
        {
            int validRows = Math.Min(tileRows, rows - firstRow);
            T* panel = destination + (nint)(firstRow / tileRows) * depth * tileRows;
            if (transposed)
            {
                // op(A)[row, p] = A[p, row]: each depth step is a contiguous run of the panel's rows.
                for (int p = 0; p < depth; p++)
                {
                    T* source = a + p * lda + firstRow;
                    T* target = panel + (nint)p * tileRows;
                    for (int r = 0; r < validRows; r++) target[r] = source[r];
                    for (int r = validRows; r < tileRows; r++) target[r] = T.Zero;
                }
            }
            else
            {
                // Walk each source row sequentially; the strided writes stay within a panel that fits in L1.
                for (int r = 0; r < validRows; r++)
                {
                    T* source = a + (firstRow + r) * lda;
                    for (int p = 0; p < depth; p++) panel[(nint)p * tileRows + r] = source[p];
                }

                for (int r = validRows; r < tileRows; r++)
                {
                    for (int p = 0; p < depth; p++) panel[(nint)p * tileRows + r] = T.Zero;
                }
            }
        }
    }

    /// <summary>
    /// Packs columns [0, columns) and depth [0, depth) of B^T (B stored as [columns, depth]) into panels of
    /// <paramref name="panelWidth"/> columns; panel q starts at <c>destination + q * depth * panelWidth</c> with element
    /// (p, column) at <c>p * panelWidth + column % panelWidth</c>. Columns past the end are zero-filled.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void PackTransposedB<T>(int columns, int depth, T* b, nint ldb, int panelWidth, T* destination)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int firstColumn = 0; firstColumn < columns; firstColumn += panelWidth)
        {
            int validColumns = Math.Min(panelWidth, columns - firstColumn);
            T* panel = destination + (nint)(firstColumn / panelWidth) * depth * panelWidth;
            // Read each source row sequentially, write with the panel stride.
            for (int j = 0; j < validColumns; j++)
            {
                T* source = b + (firstColumn + j) * ldb;
                for (int p = 0; p < depth; p++) panel[(nint)p * panelWidth + j] = source[p];
            }

            for (int p = 0; p < depth; p++)
            {
                T* target = panel + (nint)p * panelWidth;
                for (int j = validColumns; j < panelWidth; j++) target[j] = T.Zero;
            }
        }
    }

    /// <summary>
    /// Packs columns [0, columns) and depth [0, depth) of a row-major B into panels of <paramref name="panelWidth"/>
    /// columns laid out as <see cref="PackTransposedB{T}"/> does, zero-filling past the last column. Used when B's rows
    /// are not cache-line aligned, so that the kernel's vector loads do not straddle lines.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void PackB<T, TVector, TSimd>(int columns, int depth, T* b, nint ldb, int panelWidth, T* destination)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVector : struct
        where TSimd : struct, ISimd<T, TVector>
    {
        for (int firstColumn = 0; firstColumn < columns; firstColumn += panelWidth)
        {
            int validColumns = Math.Min(panelWidth, columns - firstColumn);
            T* panel = destination + (nint)(firstColumn / panelWidth) * depth * panelWidth;
            for (int p = 0; p < depth; p++)
            {
                T* target = panel + (nint)p * panelWidth;
                VectorLoops.Copy<T, TVector, TSimd>(b + p * ldb + firstColumn, target, validColumns);
                if (validColumns < panelWidth) VectorLoops.Fill<T, TVector, TSimd>(target + validColumns, panelWidth - validColumns, T.Zero);
            }
        }
    }
}
