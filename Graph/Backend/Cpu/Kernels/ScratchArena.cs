namespace StaticGraph.Backend.Cpu.Kernels;

/// <summary>
/// Carves one caller-provided scratch block into cache-line-aligned buffers, so matrix rows that start on a line
/// boundary stay aligned whatever the alignment of the block. <see cref="Size"/> gives the matching requirement.
/// </summary>
internal unsafe struct ScratchArena<T>
    where T : unmanaged
{
    private const int Alignment = 64;
    private T* next;

    public ScratchArena(T* scratch) => next = AlignUp(scratch);

    /// <summary>Takes the next buffer of <paramref name="elements"/> elements.</summary>
    public T* Take(long elements)
    {
        T* buffer = next;
        next = AlignUp(buffer + elements);
        return buffer;
    }

    /// <summary>Elements a block needs to serve buffers of the given sizes in order (alignment slack included).</summary>
    public static long Size(params ReadOnlySpan<long> buffers)
    {
        long bytes = Alignment;
        foreach (long elements in buffers) bytes += (elements * sizeof(T) + Alignment - 1) / Alignment * Alignment;
        return (bytes + sizeof(T) - 1) / sizeof(T);
    }

    private static T* AlignUp(T* pointer) => (T*)(((nuint)pointer + Alignment - 1) & ~(nuint)(Alignment - 1));
}
