using System.Runtime.InteropServices;

namespace StaticGraph.Cuda.Lowering;

/// <summary>
/// The arguments of one launch laid out for <c>cuLaunchKernel</c>: every value at an 8-byte aligned offset of one
/// unmanaged block, and an array of pointers to them. Built once when a plan is materialised (pointers resolved), so a
/// run launches without allocating, boxing or pinning. The host emulator uses the same block.
/// </summary>
public sealed unsafe class KernelArgBlock : IDisposable
{
    private byte* _values;
    private void** _pointers;

    /// <summary>Packs <paramref name="args"/>, resolving pointers with <paramref name="resolve"/>.</summary>
    public KernelArgBlock(IReadOnlyList<KernelArg> args, Func<DeviceAddress, ulong> resolve)
    {
        var offsets = new int[args.Count];
        var size = 0;
        for (var i = 0; i < args.Count; i++)
        {
            offsets[i] = size;
            size += (args[i].Size + 7) / 8 * 8;
        }
        _values = (byte*)NativeMemory.AlignedAlloc((nuint)Math.Max(size, 8), 16);
        _pointers = (void**)NativeMemory.Alloc((nuint)Math.Max(args.Count, 1), (nuint)sizeof(void*));
        new Span<byte>(_values, Math.Max(size, 8)).Clear();
        for (var i = 0; i < args.Count; i++)
        {
            args[i].Write(new Span<byte>(_values + offsets[i], args[i].Size), resolve);
            _pointers[i] = _values + offsets[i];
        }
        Count = args.Count;
    }

    /// <summary>The number of arguments.</summary>
    public int Count { get; }

    /// <summary>The <c>void**</c> that <c>cuLaunchKernel</c> takes.</summary>
    public void** Pointers => _pointers != null ? _pointers : throw new ObjectDisposedException(nameof(KernelArgBlock));

    /// <summary>Frees the block.</summary>
    public void Dispose()
    {
        if (_values == null) return;
        NativeMemory.AlignedFree(_values);
        NativeMemory.Free(_pointers);
        _values = null;
        _pointers = null;
    }
}
