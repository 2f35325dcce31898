using System.Numerics;
using System.Runtime.CompilerServices;

namespace StaticGraph.Backend.Cpu.Kernels;

/// <summary>
/// The transforms of Winograd F(2x2, 3x3) (Lavin and Gray, 2016), with
/// <c>B^T = [[1,0,-1,0],[0,1,1,0],[0,-1,1,0],[0,1,0,-1]]</c>, <c>G = [[1,0,0],[1/2,1/2,1/2],[1/2,-1/2,1/2],[0,0,1]]</c>
/// and <c>A^T = [[1,1,1,0],[0,1,-1,-1]]</c>: a 2x2 output tile of the correlation of a 4x4 input patch d with a 3x3
/// filter g is <c>A^T [(G g G^T) . (B^T d B)] A</c>, sixteen products instead of thirty-six. The filter gradient uses the
/// same matrices transposed (F(3x3, 2x2)): the 3x3 correlation of d with a 2x2 output-gradient tile e is
/// <c>G^T [(A e A^T) . (B^T d B)] G</c>. Every coefficient is 0, ±1 or ±1/2, so the transforms are additions (and exact
/// halvings): the only extra rounding against the direct sums is in those additions.
/// Data transforms work on a vector of consecutive tiles of one tile row; point <c>p = 4 i + j</c> of every tile goes to
/// row p of the transformed matrix (<c>destination + p * pointStride</c>), tile t at column t.
/// </summary>
internal static unsafe class WinogradTransforms
{
    /// <summary>
    /// <c>U[p][o][i] = (G g G^T)[p]</c> for the 3x3 filter g of output channel o and input channel i, from
    /// <c>w[o][i]</c> (OIHW), or, with <paramref name="flipTransposed"/>, from <c>w[i][o]</c> rotated by 180 degrees
    /// (the filter of the input gradient, a convolution of dy). Written straight into the A-operand layout of
    /// <see cref="GemmPacking.PackA{T}"/>, one matrix <c>[out, in]</c> per point p, <paramref name="pointStride"/> apart,
    /// rows past the last output channel zero.
    /// </summary>
    public static void Filter<T>(T* w, int outChannels, int inChannels, bool flipTransposed, int tileRows, T* packed, nint pointStride)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        T half = T.CreateTruncating(0.5);
        T* g = stackalloc T[9];
        T* t = stackalloc T[12];
        int rows = (outChannels + tileRows - 1) / tileRows * tileRows;
        for (int o = 0; o < rows; o++)
        {
            for (int i = 0; i < inChannels; i++)
            {
                // Element (o, i) of a packed matrix: panel o / tileRows, depth step i, row o % tileRows.
                T* target = packed + ((nint)(o / tileRows) * inChannels + i) * tileRows + o % tileRows;
                if (o >= outChannels)
                {
                    for (int p = 0; p < 16; p++) target[p * pointStride] = T.Zero;
                    continue;
                }

                T* source = flipTransposed ? w + ((nint)i * outChannels + o) * 9 : w + ((nint)o * inChannels + i) * 9;
                for (int k = 0; k < 9; k++) g[k] = source[flipTransposed ? 8 - k : k];
                // t = G g (4x3), then (G g) G^T (4x4).
                for (int c = 0; c < 3; c++)
                {
                    t[c] = g[c];
                    t[3 + c] = (g[c] + g[3 + c] + g[6 + c]) * half;
                    t[6 + c] = (g[c] - g[3 + c] + g[6 + c]) * half;
                    t[9 + c] = g[6 + c];
                }

                for (int r = 0; r < 4; r++)
                {
                    T t0 = t[3 * r], t1 = t[3 * r + 1], t2 = t[3 * r + 2];
                    target[(4 * r + 0) * pointStride] = t0;
                    target[(4 * r + 1) * pointStride] = (t0 + t1 + t2) * half;
                    target[(4 * r + 2) * pointStride] = (t0 - t1 + t2) * half;
                    target[(4 * r + 3) * pointStride] = t2;
                }
            }
        }
    }

    /// <summary>
    /// <c>B^T d B</c> for a vector of tiles starting at tile column <paramref name="firstTile"/> of the tile row whose
    /// four padded input rows start at <paramref name="rows"/> (rows <paramref name="rowLength"/> apart). Writes whole
    /// vectors: columns past the row's last tile get values of no tile.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Input<T, TVector, TSimd>(T* rows, int rowLength, int firstTile, T* destination, nint pointStride)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVector : struct
        where TSimd : struct, ISimd<T, TVector>
    {
        int lanes = TSimd.Lanes;
        T* r0 = rows + 2 * firstTile;
        // Rows of B^T d: t0 = d0 - d2, t1 = d1 + d2, t2 = d2 - d1, t3 = d1 - d3, each for the four patch columns.
        Column<T, TVector, TSimd>(r0, rowLength, lanes, 0, out var t00, out var t10, out var t20, out var t30);
        Column<T, TVector, TSimd>(r0, rowLength, lanes, 1, out var t01, out var t11, out var t21, out var t31);
        Column<T, TVector, TSimd>(r0, rowLength, lanes, 2, out var t02, out var t12, out var t22, out var t32);
        Column<T, TVector, TSimd>(r0, rowLength, lanes, 3, out var t03, out var t13, out var t23, out var t33);
        // Then (B^T d) B on each row: v0 = t0 - t2, v1 = t1 + t2, v2 = t2 - t1, v3 = t1 - t3.
        Row<T, TVector, TSimd>(destination, pointStride, 0, t00, t01, t02, t03);
        Row<T, TVector, TSimd>(destination, pointStride, 4, t10, t11, t12, t13);
        Row<T, TVector, TSimd>(destination, pointStride, 8, t20, t21, t22, t23);
        Row<T, TVector, TSimd>(destination, pointStride, 12, t30, t31, t32, t33);
    }

    /// <summary>
    /// <c>A^T m A</c> for a vector of tiles in <see cref="Input{T, TVector, TSimd}"/>'s layout: their 2x2 outputs, written
    /// to two output rows (<paramref name="output"/> and, when <paramref name="secondRow"/>, the one
    /// <paramref name="outputRow"/> after it), at most <paramref name="columns"/> of each.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Output<T, TVector, TSimd>(T* m, nint pointStride, T* output, nint outputRow, int columns, bool secondRow)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVector : struct
        where TSimd : struct, ISimd<T, TVector>
    {
        // Rows of A^T m: s0 = m0 + m1 + m2, s1 = m1 - m2 - m3 (per column j), then the same on columns.
        OutputColumn<T, TVector, TSimd>(m, pointStride, 0, out var s00, out var s10);
        OutputColumn<T, TVector, TSimd>(m, pointStride, 1, out var s01, out var s11);
        OutputColumn<T, TVector, TSimd>(m, pointStride, 2, out var s02, out var s12);
        OutputColumn<T, TVector, TSimd>(m, pointStride, 3, out var s03, out var s13);
        TVector y00 = TSimd.Add(TSimd.Add(s00, s01), s02), y01 = TSimd.Subtract(TSimd.Subtract(s01, s02), s03);
        StoreRow<T, TVector, TSimd>(output, y00, y01, columns);
        if (!secondRow) return;
        TVector y10 = TSimd.Add(TSimd.Add(s10, s11), s12), y11 = TSimd.Subtract(TSimd.Subtract(s11, s12), s13);
        StoreRow<T, TVector, TSimd>(output + outputRow, y10, y11, columns);
    }

    /// <summary>
    /// <c>A e A^T</c> for a vector of 2x2 output-gradient tiles starting at tile column <paramref name="firstTile"/> of
    /// the tile row whose two rows start at <paramref name="rows"/> (<paramref name="rowLength"/> apart, zero past the
    /// output), written like <see cref="Input{T, TVector, TSimd}"/>: with <c>A e = (e0, e0 + e1, e0 - e1, -e1)</c>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Gradient<T, TVector, TSimd>(T* rows, int rowLength, int firstTile, T* destination, nint pointStride)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVector : struct
        where TSimd : struct, ISimd<T, TVector>
    {
        int lanes = TSimd.Lanes;
        T* r0 = rows + 2 * firstTile, r1 = r0 + rowLength;
        TVector e00 = TSimd.EvenLanes(TSimd.Load(r0), TSimd.Load(r0 + lanes)), e01 = TSimd.EvenLanes(TSimd.Load(r0 + 1), TSimd.Load(r0 + 1 + lanes));
        TVector e10 = TSimd.EvenLanes(TSimd.Load(r1), TSimd.Load(r1 + lanes)), e11 = TSimd.EvenLanes(TSimd.Load(r1 + 1), TSimd.Load(r1 + 1 + lanes));
        // Rows: (e0, e0 + e1, e0 - e1, -e1), each a pair of columns; then the same on each row's pair.
        GradientRow<T, TVector, TSimd>(destination, pointStride, 0, e00, e01);
        GradientRow<T, TVector, TSimd>(destination, pointStride, 4, TSimd.Add(e00, e10), TSimd.Add(e01, e11));
        GradientRow<T, TVector, TSimd>(destination, pointStride, 8, TSimd.Subtract(e00, e10), TSimd.Subtract(e01, e11));
        GradientRow<T, TVector, TSimd>(destination, pointStride, 12, TSimd.Subtract(TSimd.Zero, e10), TSimd.Subtract(TSimd.Zero, e11));
    }

    /// <summary>
    /// <c>G^T m G</c>: the 3x3 filter gradient of one (output, input) channel pair from its 16 transformed sums
    /// <c>m[p * pointStride]</c>, written to <paramref name="dw"/> (9 values).
    /// </summary>
    public static void FilterGradient<T>(T* m, nint pointStride, T* dw)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        T half = T.CreateTruncating(0.5);
        T* r = stackalloc T[12];
        // Rows of G^T m: r0 = m0 + (m1 + m2)/2, r1 = (m1 - m2)/2, r2 = (m1 + m2)/2 + m3, for each of the 4 columns.
        for (int j = 0; j < 4; j++)
        {
            T m0 = m[j * pointStride], m1 = m[(4 + j) * pointStride], m2 = m[(8 + j) * pointStride], m3 = m[(12 + j) * pointStride];
            T sum = (m1 + m2) * half;
            r[j] = m0 + sum;
            r[4 + j] = (m1 - m2) * half;
            r[8 + j] = sum + m3;
        }

        for (int i = 0; i < 3; i++)
        {
            T c0 = r[4 * i], c1 = r[4 * i + 1], c2 = r[4 * i + 2], c3 = r[4 * i + 3];
            T sum = (c1 + c2) * half;
            dw[3 * i] = c0 + sum;
            dw[3 * i + 1] = (c1 - c2) * half;
            dw[3 * i + 2] = sum + c3;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void GradientRow<T, TVector, TSimd>(T* destination, nint pointStride, int first, TVector c0, TVector c1)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVector : struct
        where TSimd : struct, ISimd<T, TVector>
    {
        TSimd.Store(destination + first * pointStride, c0);
        TSimd.Store(destination + (first + 1) * pointStride, TSimd.Add(c0, c1));
        TSimd.Store(destination + (first + 2) * pointStride, TSimd.Subtract(c0, c1));
        TSimd.Store(destination + (first + 3) * pointStride, TSimd.Subtract(TSimd.Zero, c1));
    }

    /// <summary>Reads patch column j of four padded rows for a vector of tiles (stride 2) and combines the rows.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Column<T, TVector, TSimd>(T* rows, int rowLength, int lanes, int j, out TVector t0, out TVector t1, out TVector t2, out TVector t3)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVector : struct
        where TSimd : struct, ISimd<T, TVector>
    {
        T* p = rows + j;
        TVector d0 = TSimd.EvenLanes(TSimd.Load(p), TSimd.Load(p + lanes));
        TVector d1 = TSimd.EvenLanes(TSimd.Load(p + rowLength), TSimd.Load(p + rowLength + lanes));
        TVector d2 = TSimd.EvenLanes(TSimd.Load(p + 2 * rowLength), TSimd.Load(p + 2 * rowLength + lanes));
        TVector d3 = TSimd.EvenLanes(TSimd.Load(p + 3 * rowLength), TSimd.Load(p + 3 * rowLength + lanes));
        t0 = TSimd.Subtract(d0, d2);
        t1 = TSimd.Add(d1, d2);
        t2 = TSimd.Subtract(d2, d1);
        t3 = TSimd.Subtract(d1, d3);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Row<T, TVector, TSimd>(T* destination, nint pointStride, int first, TVector c0, TVector c1, TVector c2, TVector c3)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVector : struct
        where TSimd : struct, ISimd<T, TVector>
    {
        TSimd.Store(destination + first * pointStride, TSimd.Subtract(c0, c2));
        TSimd.Store(destination + (first + 1) * pointStride, TSimd.Add(c1, c2));
        TSimd.Store(destination + (first + 2) * pointStride, TSimd.Subtract(c2, c1));
        TSimd.Store(destination + (first + 3) * pointStride, TSimd.Subtract(c1, c3));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void OutputColumn<T, TVector, TSimd>(T* m, nint pointStride, int j, out TVector s0, out TVector s1)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVector : struct
        where TSimd : struct, ISimd<T, TVector>
    {
        TVector m0 = TSimd.Load(m + j * pointStride), m1 = TSimd.Load(m + (4 + j) * pointStride);
        TVector m2 = TSimd.Load(m + (8 + j) * pointStride), m3 = TSimd.Load(m + (12 + j) * pointStride);
        s0 = TSimd.Add(TSimd.Add(m0, m1), m2);
        s1 = TSimd.Subtract(TSimd.Subtract(m1, m2), m3);
    }

    /// <summary>Writes the even and odd output columns of a vector of tiles, merged, at most <paramref name="columns"/> of them.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreRow<T, TVector, TSimd>(T* output, TVector even, TVector odd, int columns)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVector : struct
        where TSimd : struct, ISimd<T, TVector>
    {
        int lanes = TSimd.Lanes;
        TVector low = TSimd.InterleaveLower(even, odd);
        if (columns >= lanes) TSimd.Store(output, low);
        else TSimd.StorePartial(output, low, columns);
        if (columns <= lanes) return;
        TVector high = TSimd.InterleaveUpper(even, odd);
        if (columns >= 2 * lanes) TSimd.Store(output + lanes, high);
        else TSimd.StorePartial(output + lanes, high, columns - lanes);
    }
}
