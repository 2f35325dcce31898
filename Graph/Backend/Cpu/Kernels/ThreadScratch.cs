using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace StaticGraph.Backend.Cpu.Kernels;

/// <summary>
/// A per-thread scratch buffer for callers that do not supply one. It is allocated on first use and only
/// reallocated (doubling) when a larger request arrives, so steady-state calls allocate nothing. It lives on the
/// pinned object heap, so the returned pointer stays valid until the next larger request on the same thread.
/// </summary>
internal static unsafe class ThreadScratch<T>
    where T : unmanaged
{
    [ThreadStatic]
    private static T[]? buffer;

    public static T* Get(long elements)
    {
        T[]? current = buffer;
        if (current is null || current.LongLength < elements)
        {
            long size = Math.Max(elements, current is null ? 0 : 2 * current.LongLength);
            current = GC.AllocateUninitializedArray<T>(checked((int)Math.Max(size, 1)), pinned: true);
            buffer = current;
        }

        return (T*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(current));
    }
}
