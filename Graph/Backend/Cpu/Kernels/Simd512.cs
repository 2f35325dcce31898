using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace StaticGraph.Backend.Cpu.Kernels;

/// <summary>512-bit vectors (AVX-512). Only float and double are used: those are the types with fused multiply-add.</summary>
internal readonly unsafe struct Simd512<T> : ISimd<T, Vector512<T>>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    public static bool IsUsable =>
        Vector512.IsHardwareAccelerated && Avx512F.IsSupported && (typeof(T) == typeof(float) || typeof(T) == typeof(double));

    public static int Lanes => Vector512<T>.Count;
    public static int TileRows => 8;
    public static Vector512<T> Zero => Vector512<T>.Zero;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Load(T* source) => Vector512.Load(source);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> LoadPartial(T* source, int count)
    {
        // Masked loads suppress faults on masked-off lanes, so reading the tail of a buffer is safe.
        if (typeof(T) == typeof(float))
        {
            var mask = Vector512.LessThan(Vector512<int>.Indices, Vector512.Create(count)).AsSingle();
            return Avx512F.MaskLoad((float*)source, mask, Vector512<float>.Zero).As<float, T>();
        }
        else
        {
            var mask = Vector512.LessThan(Vector512<long>.Indices, Vector512.Create((long)count)).AsDouble();
            return Avx512F.MaskLoad((double*)source, mask, Vector512<double>.Zero).As<double, T>();
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(T* destination, Vector512<T> value) => Vector512.Store(value, destination);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void StorePartial(T* destination, Vector512<T> value, int count)
    {
        if (typeof(T) == typeof(float))
        {
            var mask = Vector512.LessThan(Vector512<int>.Indices, Vector512.Create(count)).AsSingle();
            Avx512F.MaskStore((float*)destination, mask, value.AsSingle());
        }
        else
        {
            var mask = Vector512.LessThan(Vector512<long>.Indices, Vector512.Create((long)count)).AsDouble();
            Avx512F.MaskStore((double*)destination, mask, value.AsDouble());
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Broadcast(T value) => Vector512.Create(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> MultiplyAdd(Vector512<T> left, Vector512<T> right, Vector512<T> addend)
    {
        if (typeof(T) == typeof(float))
            return Vector512.FusedMultiplyAdd(left.AsSingle(), right.AsSingle(), addend.AsSingle()).As<float, T>();
        return Vector512.FusedMultiplyAdd(left.AsDouble(), right.AsDouble(), addend.AsDouble()).As<double, T>();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Add(Vector512<T> left, Vector512<T> right) => left + right;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Subtract(Vector512<T> left, Vector512<T> right) => left - right;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> EvenLanes(Vector512<T> low, Vector512<T> high)
    {
        // One two-source permute (vpermt2ps); narrowing the 64-bit lanes takes three shuffles.
        if (typeof(T) == typeof(float))
            return Avx512F.PermuteVar16x32x2(low.AsSingle(), Vector512.Create(0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30), high.AsSingle()).As<float, T>();
        return Avx512F.PermuteVar8x64x2(low.AsDouble(), Vector512.Create(0L, 2, 4, 6, 8, 10, 12, 14), high.AsDouble()).As<double, T>();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> SpreadLowerHalf(Vector512<T> value)
    {
        // Zero-extending 32-bit lanes to 64 bits puts each float at an even position and a zero after it.
        if (typeof(T) == typeof(float)) return Vector512.WidenLower(value.AsUInt32()).As<ulong, T>();
        return Avx512F.PermuteVar8x64x2(value.AsDouble(), Vector512.Create(0L, 8, 1, 8, 2, 8, 3, 8), Vector512<double>.Zero).As<double, T>();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> SpreadUpperHalf(Vector512<T> value)
    {
        if (typeof(T) == typeof(float)) return Vector512.WidenUpper(value.AsUInt32()).As<ulong, T>();
        return Avx512F.PermuteVar8x64x2(value.AsDouble(), Vector512.Create(4L, 8, 5, 8, 6, 8, 7, 8), Vector512<double>.Zero).As<double, T>();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> InterleaveLower(Vector512<T> even, Vector512<T> odd)
    {
        if (typeof(T) == typeof(float))
            return Avx512F.PermuteVar16x32x2(even.AsSingle(), Vector512.Create(0, 16, 1, 17, 2, 18, 3, 19, 4, 20, 5, 21, 6, 22, 7, 23), odd.AsSingle()).As<float, T>();
        return Avx512F.PermuteVar8x64x2(even.AsDouble(), Vector512.Create(0L, 8, 1, 9, 2, 10, 3, 11), odd.AsDouble()).As<double, T>();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> InterleaveUpper(Vector512<T> even, Vector512<T> odd)
    {
        if (typeof(T) == typeof(float))
            return Avx512F.PermuteVar16x32x2(even.AsSingle(), Vector512.Create(8, 24, 9, 25, 10, 26, 11, 27, 12, 28, 13, 29, 14, 30, 15, 31), odd.AsSingle()).As<float, T>();
        return Avx512F.PermuteVar8x64x2(even.AsDouble(), Vector512.Create(4L, 12, 5, 13, 6, 14, 7, 15), odd.AsDouble()).As<double, T>();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Sum(Vector512<T> value) => Vector128.Sum(Fold(value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void StoreSums(T* destination, Vector512<T> s0, Vector512<T> s1, Vector512<T> s2, Vector512<T> s3, Vector512<T> s4, Vector512<T> s5, bool accumulate)
        => Reductions.StoreSums(destination, Fold(s0), Fold(s1), Fold(s2), Fold(s3), Fold(s4), Fold(s5), accumulate);

    /// <summary>Adds the four 128-bit quarters (two extract-and-add steps).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<T> Fold(Vector512<T> value)
    {
        Vector256<T> half = value.GetLower() + value.GetUpper();
        return half.GetLower() + half.GetUpper();
    }
}
