using System.Numerics;
using System.Runtime.CompilerServices;

namespace StaticGraph.Backend.Cpu.Kernels;

/// <summary>
/// One-lane "vectors": the portable fallback, and the only path for element types without hardware vectors
/// (e.g. <see cref="Half"/>). Keeps every kernel usable with any IEEE floating-point type.
/// </summary>
internal readonly unsafe struct SimdScalar<T> : ISimd<T, T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    public static bool IsUsable => true;
    public static int Lanes => 1;
    public static int TileRows => 4;
    public static T Zero => T.Zero;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Load(T* source) => *source;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T LoadPartial(T* source, int count) => *source;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(T* destination, T value) => *destination = value;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void StorePartial(T* destination, T value, int count) => *destination = value;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Broadcast(T value) => value;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T MultiplyAdd(T left, T right, T addend) => T.FusedMultiplyAdd(left, right, addend);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Add(T left, T right) => left + right;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Subtract(T left, T right) => left - right;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T EvenLanes(T low, T high) => low;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T SpreadLowerHalf(T value) => value;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T SpreadUpperHalf(T value) => T.Zero;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T InterleaveLower(T even, T odd) => even;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T InterleaveUpper(T even, T odd) => odd;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Sum(T value) => value;

    public static void StoreSums(T* destination, T s0, T s1, T s2, T s3, T s4, T s5, bool accumulate)
    {
        if (accumulate)
        {
            s0 += destination[0];
            s1 += destination[1];
            s2 += destination[2];
            s3 += destination[3];
            s4 += destination[4];
            s5 += destination[5];
        }

        destination[0] = s0;
        destination[1] = s1;
        destination[2] = s2;
        destination[3] = s3;
        destination[4] = s4;
        destination[5] = s5;
    }
}
