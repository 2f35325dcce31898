using System.Numerics;
using System.Runtime.CompilerServices;

namespace StaticGraph.Backend.Cpu.Kernels;

/// <summary>
/// Short element-wise loops used when lowering images to columns. Runs are often only a few dozen elements
/// (one image row), so these inline into the caller and finish with one masked vector instead of a scalar tail.
/// </summary>
internal static unsafe class VectorLoops
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Copy<T, TVector, TSimd>(T* source, T* destination, nint count)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVector : struct
        where TSimd : struct, ISimd<T, TVector>
    {
        nint lanes = TSimd.Lanes;
        if (count < lanes)
        {
            if (count > 0) TSimd.StorePartial(destination, TSimd.LoadPartial(source, (int)count), (int)count);
            return;
        }

        // The last vector overlaps the previous one instead of using a mask: cheaper, and still within [0, count).
        nint i = 0;
        for (; i < count - lanes; i += lanes) TSimd.Store(destination + i, TSimd.Load(source + i));
        TSimd.Store(destination + count - lanes, TSimd.Load(source + count - lanes));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Fill<T, TVector, TSimd>(T* destination, nint count, T value)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVector : struct
        where TSimd : struct, ISimd<T, TVector>
    {
        nint lanes = TSimd.Lanes;
        TVector broadcast = TSimd.Broadcast(value);
        if (count < lanes)
        {
            if (count > 0) TSimd.StorePartial(destination, broadcast, (int)count);
            return;
        }

        nint i = 0;
        for (; i < count - lanes; i += lanes) TSimd.Store(destination + i, broadcast);
        TSimd.Store(destination + count - lanes, broadcast);
    }

    /// <summary><c>destination[i] += source[i]</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void AddInPlace<T, TVector, TSimd>(T* source, T* destination, nint count)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVector : struct
        where TSimd : struct, ISimd<T, TVector>
    {
        nint lanes = TSimd.Lanes;
        nint i = 0;
        for (; i <= count - lanes; i += lanes)
        {
            TSimd.Store(destination + i, TSimd.Add(TSimd.Load(destination + i), TSimd.Load(source + i)));
        }

        if (i < count)
        {
            int rest = (int)(count - i);
            TSimd.StorePartial(destination + i, TSimd.Add(TSimd.LoadPartial(destination + i, rest), TSimd.LoadPartial(source + i, rest)), rest);
        }
    }

    /// <summary><c>destination[i] = source[2 * i]</c> for <c>i &lt; count</c>; reads nothing past <c>source[2 * (count - 1)]</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void GatherStride2<T, TVector, TSimd>(T* source, T* destination, nint count)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVector : struct
        where TSimd : struct, ISimd<T, TVector>
    {
        nint lanes = TSimd.Lanes;
        nint i = 0;
        // Whole vectors read 2 * lanes inputs, one past the last one used, so they stop while another output follows.
        for (; count - i > lanes; i += lanes)
        {
            T* from = source + 2 * i;
            TSimd.Store(destination + i, TSimd.EvenLanes(TSimd.Load(from), TSimd.Load(from + lanes)));
        }

        if (i < count)
        {
            int rest = (int)(count - i), inputs = 2 * rest - 1;
            T* from = source + 2 * i;
            TVector low = TSimd.LoadPartial(from, Math.Min(inputs, (int)lanes));
            TVector high = inputs > lanes ? TSimd.LoadPartial(from + lanes, inputs - (int)lanes) : TSimd.Zero;
            TSimd.StorePartial(destination + i, TSimd.EvenLanes(low, high), rest);
        }
    }

    /// <summary><c>destination[2 * i] += source[i]</c> for <c>i &lt; count</c>; writes nothing past <c>destination[2 * (count - 1)]</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void AddStride2<T, TVector, TSimd>(T* source, T* destination, nint count)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVector : struct
        where TSimd : struct, ISimd<T, TVector>
    {
        nint lanes = TSimd.Lanes;
        nint i = 0;
        // Odd positions receive +0, so the vectors stop while another output follows (as in GatherStride2).
        for (; count - i > lanes; i += lanes)
        {
            TVector values = TSimd.Load(source + i);
            T* to = destination + 2 * i;
            TSimd.Store(to, TSimd.Add(TSimd.Load(to), TSimd.SpreadLowerHalf(values)));
            TSimd.Store(to + lanes, TSimd.Add(TSimd.Load(to + lanes), TSimd.SpreadUpperHalf(values)));
        }

        if (i < count)
        {
            int rest = (int)(count - i), outputs = 2 * rest - 1;
            TVector values = TSimd.LoadPartial(source + i, rest);
            T* to = destination + 2 * i;
            int lowCount = Math.Min(outputs, (int)lanes);
            TSimd.StorePartial(to, TSimd.Add(TSimd.LoadPartial(to, lowCount), TSimd.SpreadLowerHalf(values)), lowCount);
            if (outputs > lanes)
            {
                int highCount = outputs - (int)lanes;
                TSimd.StorePartial(to + lanes, TSimd.Add(TSimd.LoadPartial(to + lanes, highCount), TSimd.SpreadUpperHalf(values)), highCount);
            }
        }
    }
}
