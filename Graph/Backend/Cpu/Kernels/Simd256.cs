using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace StaticGraph.Backend.Cpu.Kernels;

/// <summary>256-bit vectors (AVX2 + FMA), the fallback where 512-bit vectors are not accelerated.</summary>
internal readonly unsafe struct Simd256<T> : ISimd<T, Vector256<T>>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    public static bool IsUsable =>
        Vector256.IsHardwareAccelerated && Avx2.IsSupported && Fma.IsSupported
        && (typeof(T) == typeof(float) || typeof(T) == typeof(double));

    public static int Lanes => Vector256<T>.Count;
    public static int TileRows => 4;
    public static Vector256<T> Zero => Vector256<T>.Zero;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Load(T* source) => Vector256.Load(source);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> LoadPartial(T* source, int count)
    {
        // vmaskmov suppresses faults on masked-off lanes, so reading the tail of a buffer is safe.
        if (typeof(T) == typeof(float))
        {
            var mask = Vector256.LessThan(Vector256<int>.Indices, Vector256.Create(count)).AsSingle();
            return Avx.MaskLoad((float*)source, mask).As<float, T>();
        }
        else
        {
            var mask = Vector256.LessThan(Vector256<long>.Indices, Vector256.Create((long)count)).AsDouble();
            return Avx.MaskLoad((double*)source, mask).As<double, T>();
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(T* destination, Vector256<T> value) => Vector256.Store(value, destination);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void StorePartial(T* destination, Vector256<T> value, int count)
    {
        if (typeof(T) == typeof(float))
        {
            var mask = Vector256.LessThan(Vector256<int>.Indices, Vector256.Create(count)).AsSingle();
            Avx.MaskStore((float*)destination, mask, value.AsSingle());
        }
        else
        {
            var mask = Vector256.LessThan(Vector256<long>.Indices, Vector256.Create((long)count)).AsDouble();
            Avx.MaskStore((double*)destination, mask, value.AsDouble());
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Broadcast(T value) => Vector256.Create(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> MultiplyAdd(Vector256<T> left, Vector256<T> right, Vector256<T> addend)
    {
        if (typeof(T) == typeof(float))
            return Vector256.FusedMultiplyAdd(left.AsSingle(), right.AsSingle(), addend.AsSingle()).As<float, T>();
        return Vector256.FusedMultiplyAdd(left.AsDouble(), right.AsDouble(), addend.AsDouble()).As<double, T>();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Add(Vector256<T> left, Vector256<T> right) => left + right;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Subtract(Vector256<T> left, Vector256<T> right) => left - right;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> EvenLanes(Vector256<T> low, Vector256<T> high)
    {
        if (typeof(T) == typeof(float)) return Vector256.Narrow(low.AsInt64(), high.AsInt64()).As<int, T>();
        // [low0, high0, low2, high2], then reorder the 64-bit lanes to [low0, low2, high0, high2].
        var mixed = Avx.Shuffle(low.AsDouble(), high.AsDouble(), 0b0000);
        return Avx2.Permute4x64(mixed, 0b11_01_10_00).As<double, T>();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> SpreadLowerHalf(Vector256<T> value)
    {
        if (typeof(T) == typeof(float)) return Vector256.WidenLower(value.AsUInt32()).As<ulong, T>();
        return Avx.Blend(Avx2.Permute4x64(value.AsDouble(), 0b01_01_00_00), Vector256<double>.Zero, 0b1010).As<double, T>();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> SpreadUpperHalf(Vector256<T> value)
    {
        if (typeof(T) == typeof(float)) return Vector256.WidenUpper(value.AsUInt32()).As<ulong, T>();
        return Avx.Blend(Avx2.Permute4x64(value.AsDouble(), 0b11_11_10_10), Vector256<double>.Zero, 0b1010).As<double, T>();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> InterleaveLower(Vector256<T> even, Vector256<T> odd)
    {
        // unpacklo/unpackhi merge within each 128-bit half; the low halves of both, side by side, are the first Lanes.
        if (typeof(T) == typeof(float))
            return Avx.Permute2x128(Avx.UnpackLow(even.AsSingle(), odd.AsSingle()), Avx.UnpackHigh(even.AsSingle(), odd.AsSingle()), 0x20).As<float, T>();
        return Avx.Permute2x128(Avx.UnpackLow(even.AsDouble(), odd.AsDouble()), Avx.UnpackHigh(even.AsDouble(), odd.AsDouble()), 0x20).As<double, T>();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> InterleaveUpper(Vector256<T> even, Vector256<T> odd)
    {
        if (typeof(T) == typeof(float))
            return Avx.Permute2x128(Avx.UnpackLow(even.AsSingle(), odd.AsSingle()), Avx.UnpackHigh(even.AsSingle(), odd.AsSingle()), 0x31).As<float, T>();
        return Avx.Permute2x128(Avx.UnpackLow(even.AsDouble(), odd.AsDouble()), Avx.UnpackHigh(even.AsDouble(), odd.AsDouble()), 0x31).As<double, T>();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Sum(Vector256<T> value) => Vector128.Sum(Fold(value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void StoreSums(T* destination, Vector256<T> s0, Vector256<T> s1, Vector256<T> s2, Vector256<T> s3, Vector256<T> s4, Vector256<T> s5, bool accumulate)
        => Reductions.StoreSums(destination, Fold(s0), Fold(s1), Fold(s2), Fold(s3), Fold(s4), Fold(s5), accumulate);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<T> Fold(Vector256<T> value) => value.GetLower() + value.GetUpper();
}
