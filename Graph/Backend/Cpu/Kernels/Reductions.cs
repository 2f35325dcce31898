using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace StaticGraph.Backend.Cpu.Kernels;

/// <summary>
/// Finishes several horizontal sums at once from 128-bit partial sums: horizontal adds of pairs of vectors produce
/// the sums already side by side, ready for one vector store. Used by the x86 widths only (needs SSE3).
/// </summary>
internal static unsafe class Reductions
{
    /// <summary>Writes (or adds) the lane sums of <paramref name="q0"/>..<paramref name="q5"/> to <c>destination[0..6)</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void StoreSums<T>(T* destination, Vector128<T> q0, Vector128<T> q1, Vector128<T> q2, Vector128<T> q3, Vector128<T> q4, Vector128<T> q5, bool accumulate)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(float))
        {
            float* target = (float*)destination;
            // hadd(a, b) = [a0+a1, a2+a3, b0+b1, b2+b3]; two levels give [sum a, sum b, sum c, sum d].
            var first = Sse3.HorizontalAdd(Sse3.HorizontalAdd(q0.AsSingle(), q1.AsSingle()), Sse3.HorizontalAdd(q2.AsSingle(), q3.AsSingle()));
            var pair = Sse3.HorizontalAdd(q4.AsSingle(), q5.AsSingle());
            var last = Sse3.HorizontalAdd(pair, pair);
            if (accumulate)
            {
                first += Vector128.Load(target);
                last += Vector128.CreateScalar(*(double*)(target + 4)).AsSingle();
            }

            first.Store(target);
            *(double*)(target + 4) = last.AsDouble().ToScalar();
        }
        else
        {
            double* target = (double*)destination;
            var s01 = Sse3.HorizontalAdd(q0.AsDouble(), q1.AsDouble());
            var s23 = Sse3.HorizontalAdd(q2.AsDouble(), q3.AsDouble());
            var s45 = Sse3.HorizontalAdd(q4.AsDouble(), q5.AsDouble());
            if (accumulate)
            {
                s01 += Vector128.Load(target);
                s23 += Vector128.Load(target + 2);
                s45 += Vector128.Load(target + 4);
            }

            s01.Store(target);
            s23.Store(target + 2);
            s45.Store(target + 4);
        }
    }
}
