using System.Runtime.InteropServices;

namespace StaticGraph.Cuda.Native;

/// <summary>A cuDNN handle (<c>cudnnHandle_t</c>), bound to the context current at creation; released with <c>cudnnDestroy</c>.</summary>
internal sealed class CudnnHandle : SafeHandle
{
    private CudnnHandle() : base(0, true) { }

    /// <inheritdoc/>
    public override bool IsInvalid => handle == 0;

    /// <summary>Creates a handle (<c>cudnnCreate</c>) in the current context. Not to be called during graph capture.</summary>
    public static CudnnHandle Create()
    {
        Cudnn.Check(CudnnNative.cudnnCreate(out var raw), "cudnnCreate");
        var created = new CudnnHandle();
        created.SetHandle(raw);
        return created;
    }

    /// <summary>Makes the handle queue its work on <paramref name="stream"/> (<c>cudnnSetStream</c>).</summary>
    public void SetStream(CudaStream stream) => Cudnn.Check(CudnnNative.cudnnSetStream(DangerousGetHandle(), stream.DangerousGetHandle()), "cudnnSetStream");

    /// <inheritdoc/>
    protected override bool ReleaseHandle() => CudnnNative.cudnnDestroy(handle) == 0;
}
