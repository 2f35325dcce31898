using System.Runtime.InteropServices;

namespace StaticGraph.Backend.Cpu;

/// <summary>A 64-byte aligned, zeroed block of native memory.</summary>
public sealed unsafe class NativeBuffer : IDisposable
{
    /// <summary>Allocates <paramref name="bytes"/> (at least 64).</summary>
    public NativeBuffer(long bytes)
    {
        Bytes = Math.Max(64, bytes);
        Pointer = (byte*)NativeMemory.AlignedAlloc((nuint)Bytes, 64);
        NativeMemory.Clear(Pointer, (nuint)Bytes);
    }

    /// <summary>The first byte.</summary>
    public byte* Pointer { get; private set; }

    /// <summary>Size in bytes.</summary>
    public long Bytes { get; }

    /// <summary>Frees the memory.</summary>
    public void Dispose()
    {
        if (Pointer == null) return;
        NativeMemory.AlignedFree(Pointer);
        Pointer = null;
    }
}
