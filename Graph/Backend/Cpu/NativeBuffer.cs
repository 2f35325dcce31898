using System.Runtime.InteropServices;

namespace StaticGraph.Backend.Cpu;

/// <summary>A 64-byte aligned, zeroed block of native memory.</summary>
/// <remarks>
/// The block comes from the C runtime's zeroing allocator (<c>calloc</c>) rather than being cleared here: a large
/// block is fresh pages that the system supplies zeroed, so none of it becomes resident before a kernel writes it.
/// An executable that is compiled but seldom run (the inference twin of a training session) then costs address space,
/// not memory.
/// </remarks>
public sealed unsafe class NativeBuffer : IDisposable
{
    private const int Alignment = 64;
    private void* _block;

    /// <summary>Allocates <paramref name="bytes"/> (at least 64).</summary>
    public NativeBuffer(long bytes)
    {
        Bytes = Math.Max(Alignment, bytes);
        _block = NativeMemory.AllocZeroed((nuint)(Bytes + Alignment));
        Pointer = (byte*)(((nuint)_block + Alignment - 1) & ~(nuint)(Alignment - 1));
    }

    /// <summary>The first byte.</summary>
    public byte* Pointer { get; private set; }

    /// <summary>Size in bytes.</summary>
    public long Bytes { get; }

    /// <summary>Frees the memory.</summary>
    public void Dispose()
    {
        if (_block == null) return;
        NativeMemory.Free(_block);
        _block = null;
        Pointer = null;
    }
}
