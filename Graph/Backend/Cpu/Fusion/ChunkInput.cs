using System.Numerics;

namespace StaticGraph.Backend.Cpu;

/// <summary>
/// A convolution kernel's input, read by chunks of images: the stored tensor itself, or, when the input is recomputed
/// (<see cref="CpuKernelArgs.InputRows"/>), the chunk's images written to the front of the worker's scratch. Either way
/// the kernel gets a pointer it can index as the whole tensor, so the numeric kernels are the same for both.
/// </summary>
internal readonly unsafe struct ChunkInput<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly CpuTensor _stored;
    private readonly IRows<T>? _rows;
    private readonly CpuRowSource? _source;

    /// <summary>An input read as <paramref name="stored"/> or, when <paramref name="rows"/> is not null, recomputed from it.</summary>
    public ChunkInput(CpuTensor stored, CpuRowSource? rows, int maxImages)
    {
        _stored = stored;
        _source = rows;
        _rows = (IRows<T>?)rows;
        // Whole cache lines, so the scratch after it keeps its alignment.
        ScratchBytes = rows is null ? 0 : (maxImages * rows.ImageElements * sizeof(T) + 63) / 64 * 64;
    }

    /// <summary>Bytes of worker scratch the chunk takes (0 when the input is stored).</summary>
    public long ScratchBytes { get; }

    /// <summary>
    /// A pointer that reads as the input tensor for images <c>[first, end)</c>: the stored tensor, or the recomputed
    /// images in <paramref name="scratch"/>, offset so that image <c>first</c> is where the kernel will look for it.
    /// </summary>
    public T* Images(int first, int end, byte* scratch)
    {
        if (_rows is null) return _stored.Ptr<T>();
        _rows.Images(_source!, first, end, (T*)scratch);
        return (T*)scratch - (long)first * _source!.ImageElements;
    }
}
