namespace StaticGraph.Cuda.Native;

/// <summary>
/// Page-locked host memory (<c>cuMemAllocHost_v2</c>, freed with <c>cuMemFreeHost</c>), which asynchronous copies need:
/// with pageable memory the driver stages or synchronises, and a managed array could move under a queued copy.
/// </summary>
internal sealed unsafe class PinnedBuffer : IDisposable
{
    private nint _pointer;

    private PinnedBuffer(nint pointer, long bytes)
    {
        _pointer = pointer;
        Bytes = bytes;
    }

    /// <summary>The size in bytes.</summary>
    public long Bytes { get; }

    /// <summary>The host address.</summary>
    public void* Pointer => _pointer != 0 ? (void*)_pointer : throw new ObjectDisposedException(nameof(PinnedBuffer));

    /// <summary>Allocates <paramref name="bytes"/> bytes of pinned host memory (needs a current context).</summary>
    public static PinnedBuffer Allocate(long bytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(bytes);
        CudaDriver.Check(CudaDriverNative.cuMemAllocHost(out var pointer, (nuint)bytes), "cuMemAllocHost_v2");
        return new PinnedBuffer(pointer, bytes);
    }

    /// <summary>The memory as a span of <typeparamref name="T"/> (as many whole elements as fit). Do not touch it while a queued copy may use it.</summary>
    public Span<T> AsSpan<T>() where T : unmanaged => new(Pointer, checked((int)(Bytes / sizeof(T))));

    /// <summary>Frees the memory.</summary>
    public void Dispose()
    {
        var pointer = Interlocked.Exchange(ref _pointer, 0);
        if (pointer != 0) CudaDriver.Check(CudaDriverNative.cuMemFreeHost(pointer), "cuMemFreeHost");
    }
}
