using System.Numerics;
using System.Runtime.Intrinsics;

namespace StaticGraph.Backend.Cpu.Kernels;

/// <summary>
/// Dense matrix product <c>C[m, n] (+)= op(A)[m, k] * op(B)[k, n]</c> on row-major matrices with leading dimensions.
/// Single-threaded; callers parallelise over independent products. For fixed inputs and shape every call returns
/// identical bits: each output is summed over k in a fixed order that does not depend on blocking or alignment.
/// Operands must not overlap C. A is packed into 8-row panels (f32/f64 with AVX-512) for a register-blocked
/// 8 x 3-vector kernel; B is read in place when its rows are cache-line aligned and packed otherwise. When only B is
/// transposed and k is long enough, rows of A and B are combined directly in tiles of dot products instead.
/// </summary>
public static unsafe class Gemm
{
    /// <summary>
    /// Computes <c>C = op(A) * op(B)</c>, or <c>C += op(A) * op(B)</c> when <paramref name="accumulate"/> is set,
    /// using a per-thread scratch buffer (allocated on first use, grown rarely).
    /// </summary>
    /// <param name="transposeA">Use A^T: A is then stored as [k, m].</param>
    /// <param name="transposeB">Use B^T: B is then stored as [n, k].</param>
    /// <param name="m">Rows of C.</param>
    /// <param name="n">Columns of C.</param>
    /// <param name="k">The summed dimension.</param>
    /// <param name="a">First element of A.</param>
    /// <param name="lda">Distance between rows of A as stored.</param>
    /// <param name="b">First element of B.</param>
    /// <param name="ldb">Distance between rows of B as stored.</param>
    /// <param name="c">First element of C.</param>
    /// <param name="ldc">Distance between rows of C.</param>
    /// <param name="accumulate">Add to C instead of overwriting it.</param>
    public static void Multiply<T>(
        bool transposeA, bool transposeB, int m, int n, int k,
        T* a, int lda, T* b, int ldb, T* c, int ldc, bool accumulate)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        T* scratch = ThreadScratch<T>.Get(MultiplyScratchElements<T>(m, n, k));
        Multiply(transposeA, transposeB, m, n, k, a, lda, b, ldb, c, ldc, accumulate, scratch);
    }

    /// <summary>
    /// Computes <c>C (+)= op(A) * op(B)</c> like the overload without scratch, with caller-provided scratch of at
    /// least <see cref="MultiplyScratchElements{T}"/> elements (contents need not be initialised).
    /// </summary>
    /// <param name="transposeA">Use A^T: A is then stored as [k, m].</param>
    /// <param name="transposeB">Use B^T: B is then stored as [n, k].</param>
    /// <param name="m">Rows of C.</param>
    /// <param name="n">Columns of C.</param>
    /// <param name="k">The summed dimension.</param>
    /// <param name="a">First element of A.</param>
    /// <param name="lda">Distance between rows of A as stored.</param>
    /// <param name="b">First element of B.</param>
    /// <param name="ldb">Distance between rows of B as stored.</param>
    /// <param name="c">First element of C.</param>
    /// <param name="ldc">Distance between rows of C.</param>
    /// <param name="accumulate">Add to C instead of overwriting it.</param>
    /// <param name="scratch">Working memory private to this call.</param>
    public static void Multiply<T>(
        bool transposeA, bool transposeB, int m, int n, int k,
        T* a, int lda, T* b, int ldb, T* c, int ldc, bool accumulate, T* scratch)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentOutOfRangeException.ThrowIfNegative(m);
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        ArgumentOutOfRangeException.ThrowIfNegative(k);
        if (Simd512<T>.IsUsable)
        {
            GemmDriver.Multiply<T, Vector512<T>, Simd512<T>>(transposeA, transposeB, m, n, k, a, lda, b, ldb, c, ldc, accumulate, scratch);
        }
        else if (Simd256<T>.IsUsable)
        {
            GemmDriver.Multiply<T, Vector256<T>, Simd256<T>>(transposeA, transposeB, m, n, k, a, lda, b, ldb, c, ldc, accumulate, scratch);
        }
        else
        {
            GemmDriver.Multiply<T, T, SimdScalar<T>>(transposeA, transposeB, m, n, k, a, lda, b, ldb, c, ldc, accumulate, scratch);
        }
    }

    /// <summary>Scratch elements sufficient for <see cref="Multiply{T}(bool, bool, int, int, int, T*, int, T*, int, T*, int, bool, T*)"/> with these sizes and any transposition.</summary>
    /// <param name="m">Rows of C.</param>
    /// <param name="n">Columns of C.</param>
    /// <param name="k">The summed dimension.</param>
    public static long MultiplyScratchElements<T>(int m, int n, int k)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (Simd512<T>.IsUsable) return GemmDriver.ScratchElements<T, Vector512<T>, Simd512<T>>(m, n, k);
        if (Simd256<T>.IsUsable) return GemmDriver.ScratchElements<T, Vector256<T>, Simd256<T>>(m, n, k);
        return GemmDriver.ScratchElements<T, T, SimdScalar<T>>(m, n, k);
    }
}
