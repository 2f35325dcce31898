using System.Numerics;
using System.Runtime.CompilerServices;

namespace StaticGraph.Backend.Cpu.Kernels;

/// <summary>
/// The register-blocked GEMM inner kernel: a <c>TileRows x (TCols * Lanes)</c> tile of C is kept in registers
/// while the depth loop streams one packed column of A (broadcast) and one row of B (vector loads) per step.
/// B rows are located through a table of offsets rather than a fixed stride, so the same kernel reads a packed
/// panel, a row-major matrix, or the shifted rows of a padded image (implicit im2col).
/// With AVX-512 that is 8 x 3 = 24 accumulators, enough independent FMA chains to hide FMA latency on both ports.
/// </summary>
internal static unsafe class GemmMicroKernel
{
    /// <summary>
    /// <c>C[0..TileRows, 0..TCols*Lanes) = (accumulate ? C : 0) + sum_p A[p][row] * B[p][col]</c>.
    /// <paramref name="packedA"/> holds <c>TileRows</c> consecutive values per depth step; B row <c>p</c> starts at
    /// <c>b + bRowOffsets[p]</c>. The sum runs over p in increasing order, starting from the old C when accumulating,
    /// so splitting the depth into consecutive blocks gives identical bits.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run<T, TVector, TSimd, TCols>(int depth, T* packedA, T* b, nint* bRowOffsets, T* c, nint ldc, bool accumulate)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVector : struct
        where TSimd : struct, ISimd<T, TVector>
        where TCols : struct, IVectorCount
    {
        int lanes = TSimd.Lanes;
        TVector zero = TSimd.Zero;
        TVector c00 = zero, c01 = zero, c02 = zero, c10 = zero, c11 = zero, c12 = zero, c20 = zero, c21 = zero, c22 = zero, c30 = zero, c31 = zero, c32 = zero, c40 = zero, c41 = zero, c42 = zero, c50 = zero, c51 = zero, c52 = zero, c60 = zero, c61 = zero, c62 = zero, c70 = zero, c71 = zero, c72 = zero;
        if (accumulate)
        {
            c00 = TSimd.Load(c + 0 * ldc + 0 * lanes);
            if (TCols.Value > 1) c01 = TSimd.Load(c + 0 * ldc + 1 * lanes);
            if (TCols.Value > 2) c02 = TSimd.Load(c + 0 * ldc + 2 * lanes);
            c10 = TSimd.Load(c + 1 * ldc + 0 * lanes);
            if (TCols.Value > 1) c11 = TSimd.Load(c + 1 * ldc + 1 * lanes);
            if (TCols.Value > 2) c12 = TSimd.Load(c + 1 * ldc + 2 * lanes);
            c20 = TSimd.Load(c + 2 * ldc + 0 * lanes);
            if (TCols.Value > 1) c21 = TSimd.Load(c + 2 * ldc + 1 * lanes);
            if (TCols.Value > 2) c22 = TSimd.Load(c + 2 * ldc + 2 * lanes);
            c30 = TSimd.Load(c + 3 * ldc + 0 * lanes);
            if (TCols.Value > 1) c31 = TSimd.Load(c + 3 * ldc + 1 * lanes);
            if (TCols.Value > 2) c32 = TSimd.Load(c + 3 * ldc + 2 * lanes);
            if (TSimd.TileRows > 4) c40 = TSimd.Load(c + 4 * ldc + 0 * lanes);
            if (TSimd.TileRows > 4 && TCols.Value > 1) c41 = TSimd.Load(c + 4 * ldc + 1 * lanes);
            if (TSimd.TileRows > 4 && TCols.Value > 2) c42 = TSimd.Load(c + 4 * ldc + 2 * lanes);
            if (TSimd.TileRows > 4) c50 = TSimd.Load(c + 5 * ldc + 0 * lanes);
            if (TSimd.TileRows > 4 && TCols.Value > 1) c51 = TSimd.Load(c + 5 * ldc + 1 * lanes);
            if (TSimd.TileRows > 4 && TCols.Value > 2) c52 = TSimd.Load(c + 5 * ldc + 2 * lanes);
            if (TSimd.TileRows > 4) c60 = TSimd.Load(c + 6 * ldc + 0 * lanes);
            if (TSimd.TileRows > 4 && TCols.Value > 1) c61 = TSimd.Load(c + 6 * ldc + 1 * lanes);
            if (TSimd.TileRows > 4 && TCols.Value > 2) c62 = TSimd.Load(c + 6 * ldc + 2 * lanes);
            if (TSimd.TileRows > 4) c70 = TSimd.Load(c + 7 * ldc + 0 * lanes);
            if (TSimd.TileRows > 4 && TCols.Value > 1) c71 = TSimd.Load(c + 7 * ldc + 1 * lanes);
            if (TSimd.TileRows > 4 && TCols.Value > 2) c72 = TSimd.Load(c + 7 * ldc + 2 * lanes);
        }

        for (int p = 0; p < depth; p++)
        {
            T* row = b + bRowOffsets[p];
            TVector b0 = TSimd.Load(row);
            TVector b1 = TCols.Value > 1 ? TSimd.Load(row + lanes) : zero;
            TVector b2 = TCols.Value > 2 ? TSimd.Load(row + 2 * lanes) : zero;
            TVector a;
            a = TSimd.Broadcast(packedA[0]);
            c00 = TSimd.MultiplyAdd(a, b0, c00);
            if (TCols.Value > 1) c01 = TSimd.MultiplyAdd(a, b1, c01);
            if (TCols.Value > 2) c02 = TSimd.MultiplyAdd(a, b2, c02);
            a = TSimd.Broadcast(packedA[1]);
            c10 = TSimd.MultiplyAdd(a, b0, c10);
            if (TCols.Value > 1) c11 = TSimd.MultiplyAdd(a, b1, c11);
            if (TCols.Value > 2) c12 = TSimd.MultiplyAdd(a, b2, c12);
            a = TSimd.Broadcast(packedA[2]);
            c20 = TSimd.MultiplyAdd(a, b0, c20);
            if (TCols.Value > 1) c21 = TSimd.MultiplyAdd(a, b1, c21);
            if (TCols.Value > 2) c22 = TSimd.MultiplyAdd(a, b2, c22);
            a = TSimd.Broadcast(packedA[3]);
            c30 = TSimd.MultiplyAdd(a, b0, c30);
            if (TCols.Value > 1) c31 = TSimd.MultiplyAdd(a, b1, c31);
            if (TCols.Value > 2) c32 = TSimd.MultiplyAdd(a, b2, c32);
            if (TSimd.TileRows > 4)
            {
                a = TSimd.Broadcast(packedA[4]);
                c40 = TSimd.MultiplyAdd(a, b0, c40);
                if (TCols.Value > 1) c41 = TSimd.MultiplyAdd(a, b1, c41);
                if (TCols.Value > 2) c42 = TSimd.MultiplyAdd(a, b2, c42);
            }
            if (TSimd.TileRows > 4)
            {
                a = TSimd.Broadcast(packedA[5]);
                c50 = TSimd.MultiplyAdd(a, b0, c50);
                if (TCols.Value > 1) c51 = TSimd.MultiplyAdd(a, b1, c51);
                if (TCols.Value > 2) c52 = TSimd.MultiplyAdd(a, b2, c52);
            }
            if (TSimd.TileRows > 4)
            {
                a = TSimd.Broadcast(packedA[6]);
                c60 = TSimd.MultiplyAdd(a, b0, c60);
                if (TCols.Value > 1) c61 = TSimd.MultiplyAdd(a, b1, c61);
                if (TCols.Value > 2) c62 = TSimd.MultiplyAdd(a, b2, c62);
            }
            if (TSimd.TileRows > 4)
            {
                a = TSimd.Broadcast(packedA[7]);
                c70 = TSimd.MultiplyAdd(a, b0, c70);
                if (TCols.Value > 1) c71 = TSimd.MultiplyAdd(a, b1, c71);
                if (TCols.Value > 2) c72 = TSimd.MultiplyAdd(a, b2, c72);
            }
            packedA += TSimd.TileRows;
        }

        TSimd.Store(c + 0 * ldc + 0 * lanes, c00);
        if (TCols.Value > 1) TSimd.Store(c + 0 * ldc + 1 * lanes, c01);
        if (TCols.Value > 2) TSimd.Store(c + 0 * ldc + 2 * lanes, c02);
        TSimd.Store(c + 1 * ldc + 0 * lanes, c10);
        if (TCols.Value > 1) TSimd.Store(c + 1 * ldc + 1 * lanes, c11);
        if (TCols.Value > 2) TSimd.Store(c + 1 * ldc + 2 * lanes, c12);
        TSimd.Store(c + 2 * ldc + 0 * lanes, c20);
        if (TCols.Value > 1) TSimd.Store(c + 2 * ldc + 1 * lanes, c21);
        if (TCols.Value > 2) TSimd.Store(c + 2 * ldc + 2 * lanes, c22);
        TSimd.Store(c + 3 * ldc + 0 * lanes, c30);
        if (TCols.Value > 1) TSimd.Store(c + 3 * ldc + 1 * lanes, c31);
        if (TCols.Value > 2) TSimd.Store(c + 3 * ldc + 2 * lanes, c32);
        if (TSimd.TileRows > 4) TSimd.Store(c + 4 * ldc + 0 * lanes, c40);
        if (TSimd.TileRows > 4 && TCols.Value > 1) TSimd.Store(c + 4 * ldc + 1 * lanes, c41);
        if (TSimd.TileRows > 4 && TCols.Value > 2) TSimd.Store(c + 4 * ldc + 2 * lanes, c42);
        if (TSimd.TileRows > 4) TSimd.Store(c + 5 * ldc + 0 * lanes, c50);
        if (TSimd.TileRows > 4 && TCols.Value > 1) TSimd.Store(c + 5 * ldc + 1 * lanes, c51);
        if (TSimd.TileRows > 4 && TCols.Value > 2) TSimd.Store(c + 5 * ldc + 2 * lanes, c52);
        if (TSimd.TileRows > 4) TSimd.Store(c + 6 * ldc + 0 * lanes, c60);
        if (TSimd.TileRows > 4 && TCols.Value > 1) TSimd.Store(c + 6 * ldc + 1 * lanes, c61);
        if (TSimd.TileRows > 4 && TCols.Value > 2) TSimd.Store(c + 6 * ldc + 2 * lanes, c62);
        if (TSimd.TileRows > 4) TSimd.Store(c + 7 * ldc + 0 * lanes, c70);
        if (TSimd.TileRows > 4 && TCols.Value > 1) TSimd.Store(c + 7 * ldc + 1 * lanes, c71);
        if (TSimd.TileRows > 4 && TCols.Value > 2) TSimd.Store(c + 7 * ldc + 2 * lanes, c72);
    }
}
