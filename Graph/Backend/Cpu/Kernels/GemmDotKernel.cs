using System.Numerics;
using System.Runtime.CompilerServices;

namespace StaticGraph.Backend.Cpu.Kernels;

/// <summary>
/// Kernel for <c>C = A * B^T</c> when both operands are row-major along the summed dimension (the backward-filter
/// shape <c>dW = dY * col^T</c>). Each output is a dot product of two contiguous rows, so no packing or transposition
/// is needed: a tile of 4 A-rows x 6 B-rows (2 x 3 on narrower vectors) keeps 24 vector partial sums in registers,
/// reading 10 vectors per 24 FMAs, and reduces each to a scalar once at the end.
/// </summary>
internal static unsafe class GemmDotKernel
{
    /// <summary>Rows of A per tile for this vector width.</summary>
    public static int RowsA<T, TVector, TSimd>()
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVector : struct
        where TSimd : struct, ISimd<T, TVector>
        => TSimd.TileRows > 4 ? 4 : 2;

    /// <summary>Rows of B per tile for this vector width.</summary>
    public static int RowsB<T, TVector, TSimd>()
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVector : struct
        where TSimd : struct, ISimd<T, TVector>
        => TSimd.TileRows > 4 ? 6 : 3;

    /// <summary>
    /// <c>C[r, j] = (accumulate ? C[r, j] : 0) + sum_p A[r, p] * B[j, p]</c> for <c>r &lt; rowsA</c>,
    /// <c>j &lt; rowsB</c> (at most one tile), where A row r starts at <c>a + r * lda</c> and B row j at
    /// <c>b + bRowOffsets[j]</c> (B rows may be the shifted rows of a padded image). Missing tile rows alias the last
    /// valid row and are not stored. Each sum is accumulated in vector lanes (p modulo Lanes) and reduced at the end in
    /// a fixed order, so results depend only on the inputs, <paramref name="length"/> and the tile shape.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run<T, TVector, TSimd>(
        int length, T* a, nint lda, T* b, nint* bRowOffsets, T* c, nint ldc, int rowsA, int rowsB, bool accumulate)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVector : struct
        where TSimd : struct, ISimd<T, TVector>
    {
        int lanes = TSimd.Lanes;
        T* a0 = a;
        T* a1 = a + Math.Min(1, rowsA - 1) * lda;
        T* a2 = a + Math.Min(2, rowsA - 1) * lda;
        T* a3 = a + Math.Min(3, rowsA - 1) * lda;
        T* b0 = b + bRowOffsets[0];
        T* b1 = b + bRowOffsets[Math.Min(1, rowsB - 1)];
        T* b2 = b + bRowOffsets[Math.Min(2, rowsB - 1)];
        T* b3 = b + bRowOffsets[Math.Min(3, rowsB - 1)];
        T* b4 = b + bRowOffsets[Math.Min(4, rowsB - 1)];
        T* b5 = b + bRowOffsets[Math.Min(5, rowsB - 1)];
        TVector zero = TSimd.Zero;
        TVector s00 = zero, s01 = zero, s02 = zero, s03 = zero, s04 = zero, s05 = zero, s10 = zero, s11 = zero, s12 = zero, s13 = zero, s14 = zero, s15 = zero, s20 = zero, s21 = zero, s22 = zero, s23 = zero, s24 = zero, s25 = zero, s30 = zero, s31 = zero, s32 = zero, s33 = zero, s34 = zero, s35 = zero;
        TVector va0 = zero, va1 = zero, va2 = zero, va3 = zero, vb;

        int p = 0;
        for (; p <= length - lanes; p += lanes)
        {
            va0 = TSimd.Load(a0 + p);
            va1 = TSimd.Load(a1 + p);
            if (TSimd.TileRows > 4) va2 = TSimd.Load(a2 + p);
            if (TSimd.TileRows > 4) va3 = TSimd.Load(a3 + p);
            vb = TSimd.Load(b0 + p);
            s00 = TSimd.MultiplyAdd(va0, vb, s00);
            s10 = TSimd.MultiplyAdd(va1, vb, s10);
            if (TSimd.TileRows > 4) s20 = TSimd.MultiplyAdd(va2, vb, s20);
            if (TSimd.TileRows > 4) s30 = TSimd.MultiplyAdd(va3, vb, s30);
            vb = TSimd.Load(b1 + p);
            s01 = TSimd.MultiplyAdd(va0, vb, s01);
            s11 = TSimd.MultiplyAdd(va1, vb, s11);
            if (TSimd.TileRows > 4) s21 = TSimd.MultiplyAdd(va2, vb, s21);
            if (TSimd.TileRows > 4) s31 = TSimd.MultiplyAdd(va3, vb, s31);
            vb = TSimd.Load(b2 + p);
            s02 = TSimd.MultiplyAdd(va0, vb, s02);
            s12 = TSimd.MultiplyAdd(va1, vb, s12);
            if (TSimd.TileRows > 4) s22 = TSimd.MultiplyAdd(va2, vb, s22);
            if (TSimd.TileRows > 4) s32 = TSimd.MultiplyAdd(va3, vb, s32);
            if (TSimd.TileRows > 4)
            {
                vb = TSimd.Load(b3 + p);
                s03 = TSimd.MultiplyAdd(va0, vb, s03);
                s13 = TSimd.MultiplyAdd(va1, vb, s13);
                if (TSimd.TileRows > 4) s23 = TSimd.MultiplyAdd(va2, vb, s23);
                if (TSimd.TileRows > 4) s33 = TSimd.MultiplyAdd(va3, vb, s33);
            }
            if (TSimd.TileRows > 4)
            {
                vb = TSimd.Load(b4 + p);
                s04 = TSimd.MultiplyAdd(va0, vb, s04);
                s14 = TSimd.MultiplyAdd(va1, vb, s14);
                if (TSimd.TileRows > 4) s24 = TSimd.MultiplyAdd(va2, vb, s24);
                if (TSimd.TileRows > 4) s34 = TSimd.MultiplyAdd(va3, vb, s34);
            }
            if (TSimd.TileRows > 4)
            {
                vb = TSimd.Load(b5 + p);
                s05 = TSimd.MultiplyAdd(va0, vb, s05);
                s15 = TSimd.MultiplyAdd(va1, vb, s15);
                if (TSimd.TileRows > 4) s25 = TSimd.MultiplyAdd(va2, vb, s25);
                if (TSimd.TileRows > 4) s35 = TSimd.MultiplyAdd(va3, vb, s35);
            }
        }

        int remaining = length - p;
        if (remaining > 0)
        {
            va0 = TSimd.LoadPartial(a0 + p, remaining);
            va1 = TSimd.LoadPartial(a1 + p, remaining);
            if (TSimd.TileRows > 4) va2 = TSimd.LoadPartial(a2 + p, remaining);
            if (TSimd.TileRows > 4) va3 = TSimd.LoadPartial(a3 + p, remaining);
            vb = TSimd.LoadPartial(b0 + p, remaining);
            s00 = TSimd.MultiplyAdd(va0, vb, s00);
            s10 = TSimd.MultiplyAdd(va1, vb, s10);
            if (TSimd.TileRows > 4) s20 = TSimd.MultiplyAdd(va2, vb, s20);
            if (TSimd.TileRows > 4) s30 = TSimd.MultiplyAdd(va3, vb, s30);
            vb = TSimd.LoadPartial(b1 + p, remaining);
            s01 = TSimd.MultiplyAdd(va0, vb, s01);
            s11 = TSimd.MultiplyAdd(va1, vb, s11);
            if (TSimd.TileRows > 4) s21 = TSimd.MultiplyAdd(va2, vb, s21);
            if (TSimd.TileRows > 4) s31 = TSimd.MultiplyAdd(va3, vb, s31);
            vb = TSimd.LoadPartial(b2 + p, remaining);
            s02 = TSimd.MultiplyAdd(va0, vb, s02);
            s12 = TSimd.MultiplyAdd(va1, vb, s12);
            if (TSimd.TileRows > 4) s22 = TSimd.MultiplyAdd(va2, vb, s22);
            if (TSimd.TileRows > 4) s32 = TSimd.MultiplyAdd(va3, vb, s32);
            if (TSimd.TileRows > 4)
            {
                vb = TSimd.LoadPartial(b3 + p, remaining);
                s03 = TSimd.MultiplyAdd(va0, vb, s03);
                s13 = TSimd.MultiplyAdd(va1, vb, s13);
                if (TSimd.TileRows > 4) s23 = TSimd.MultiplyAdd(va2, vb, s23);
                if (TSimd.TileRows > 4) s33 = TSimd.MultiplyAdd(va3, vb, s33);
            }
            if (TSimd.TileRows > 4)
            {
                vb = TSimd.LoadPartial(b4 + p, remaining);
                s04 = TSimd.MultiplyAdd(va0, vb, s04);
                s14 = TSimd.MultiplyAdd(va1, vb, s14);
                if (TSimd.TileRows > 4) s24 = TSimd.MultiplyAdd(va2, vb, s24);
                if (TSimd.TileRows > 4) s34 = TSimd.MultiplyAdd(va3, vb, s34);
            }
            if (TSimd.TileRows > 4)
            {
                vb = TSimd.LoadPartial(b5 + p, remaining);
                s05 = TSimd.MultiplyAdd(va0, vb, s05);
                s15 = TSimd.MultiplyAdd(va1, vb, s15);
                if (TSimd.TileRows > 4) s25 = TSimd.MultiplyAdd(va2, vb, s25);
                if (TSimd.TileRows > 4) s35 = TSimd.MultiplyAdd(va3, vb, s35);
            }
        }

        if (TSimd.TileRows > 4 && rowsB == 6)
        {
            // Full tile: each row's six sums are reduced together and stored as one run.
            TSimd.StoreSums(c, s00, s01, s02, s03, s04, s05, accumulate);
            if (rowsA > 1) TSimd.StoreSums(c + ldc, s10, s11, s12, s13, s14, s15, accumulate);
            if (rowsA > 2) TSimd.StoreSums(c + 2 * ldc, s20, s21, s22, s23, s24, s25, accumulate);
            if (rowsA > 3) TSimd.StoreSums(c + 3 * ldc, s30, s31, s32, s33, s34, s35, accumulate);
            return;
        }

        if (rowsA > 0 && rowsB > 0) StoreSum<T, TVector, TSimd>(c + 0 * ldc + 0, s00, accumulate);
        if (rowsA > 0 && rowsB > 1) StoreSum<T, TVector, TSimd>(c + 0 * ldc + 1, s01, accumulate);
        if (rowsA > 0 && rowsB > 2) StoreSum<T, TVector, TSimd>(c + 0 * ldc + 2, s02, accumulate);
        if (TSimd.TileRows > 4 && rowsA > 0 && rowsB > 3) StoreSum<T, TVector, TSimd>(c + 0 * ldc + 3, s03, accumulate);
        if (TSimd.TileRows > 4 && rowsA > 0 && rowsB > 4) StoreSum<T, TVector, TSimd>(c + 0 * ldc + 4, s04, accumulate);
        if (TSimd.TileRows > 4 && rowsA > 0 && rowsB > 5) StoreSum<T, TVector, TSimd>(c + 0 * ldc + 5, s05, accumulate);
        if (rowsA > 1 && rowsB > 0) StoreSum<T, TVector, TSimd>(c + 1 * ldc + 0, s10, accumulate);
        if (rowsA > 1 && rowsB > 1) StoreSum<T, TVector, TSimd>(c + 1 * ldc + 1, s11, accumulate);
        if (rowsA > 1 && rowsB > 2) StoreSum<T, TVector, TSimd>(c + 1 * ldc + 2, s12, accumulate);
        if (TSimd.TileRows > 4 && rowsA > 1 && rowsB > 3) StoreSum<T, TVector, TSimd>(c + 1 * ldc + 3, s13, accumulate);
        if (TSimd.TileRows > 4 && rowsA > 1 && rowsB > 4) StoreSum<T, TVector, TSimd>(c + 1 * ldc + 4, s14, accumulate);
        if (TSimd.TileRows > 4 && rowsA > 1 && rowsB > 5) StoreSum<T, TVector, TSimd>(c + 1 * ldc + 5, s15, accumulate);
        if (TSimd.TileRows > 4 && rowsA > 2 && rowsB > 0) StoreSum<T, TVector, TSimd>(c + 2 * ldc + 0, s20, accumulate);
        if (TSimd.TileRows > 4 && rowsA > 2 && rowsB > 1) StoreSum<T, TVector, TSimd>(c + 2 * ldc + 1, s21, accumulate);
        if (TSimd.TileRows > 4 && rowsA > 2 && rowsB > 2) StoreSum<T, TVector, TSimd>(c + 2 * ldc + 2, s22, accumulate);
        if (TSimd.TileRows > 4 && rowsA > 2 && rowsB > 3) StoreSum<T, TVector, TSimd>(c + 2 * ldc + 3, s23, accumulate);
        if (TSimd.TileRows > 4 && rowsA > 2 && rowsB > 4) StoreSum<T, TVector, TSimd>(c + 2 * ldc + 4, s24, accumulate);
        if (TSimd.TileRows > 4 && rowsA > 2 && rowsB > 5) StoreSum<T, TVector, TSimd>(c + 2 * ldc + 5, s25, accumulate);
        if (TSimd.TileRows > 4 && rowsA > 3 && rowsB > 0) StoreSum<T, TVector, TSimd>(c + 3 * ldc + 0, s30, accumulate);
        if (TSimd.TileRows > 4 && rowsA > 3 && rowsB > 1) StoreSum<T, TVector, TSimd>(c + 3 * ldc + 1, s31, accumulate);
        if (TSimd.TileRows > 4 && rowsA > 3 && rowsB > 2) StoreSum<T, TVector, TSimd>(c + 3 * ldc + 2, s32, accumulate);
        if (TSimd.TileRows > 4 && rowsA > 3 && rowsB > 3) StoreSum<T, TVector, TSimd>(c + 3 * ldc + 3, s33, accumulate);
        if (TSimd.TileRows > 4 && rowsA > 3 && rowsB > 4) StoreSum<T, TVector, TSimd>(c + 3 * ldc + 4, s34, accumulate);
        if (TSimd.TileRows > 4 && rowsA > 3 && rowsB > 5) StoreSum<T, TVector, TSimd>(c + 3 * ldc + 5, s35, accumulate);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreSum<T, TVector, TSimd>(T* destination, TVector partialSums, bool accumulate)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVector : struct
        where TSimd : struct, ISimd<T, TVector>
    {
        T sum = TSimd.Sum(partialSums);
        *destination = accumulate ? *destination + sum : sum;
    }
}
