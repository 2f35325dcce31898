using System.Runtime.InteropServices;

namespace StaticGraph.Cuda.Native;

/// <summary>A cuDNN filter descriptor (<c>cudnnFilterDescriptor_t</c>); released with <c>cudnnDestroyFilterDescriptor</c>.</summary>
internal sealed class CudnnFilterDescriptor : SafeHandle
{
    private CudnnFilterDescriptor() : base(0, true) { }

    /// <inheritdoc/>
    public override bool IsInvalid => handle == 0;

    /// <summary>The element type.</summary>
    public CudnnDataType DataType { get; private set; }

    /// <summary>
    /// A 4-D KCRS filter (output channels, input channels per group, height, width) in NCHW layout
    /// (<c>cudnnSetFilter4dDescriptor</c>, which takes the data type before the format, unlike the tensor version).
    /// </summary>
    public static CudnnFilterDescriptor Create4d(CudnnDataType dataType, int k, int c, int h, int w, CudnnTensorFormat format = CudnnTensorFormat.Nchw)
    {
        Cudnn.Check(CudnnNative.cudnnCreateFilterDescriptor(out var raw), "cudnnCreateFilterDescriptor");
        var created = new CudnnFilterDescriptor { DataType = dataType };
        created.SetHandle(raw);
        try
        {
            Cudnn.Check(CudnnNative.cudnnSetFilter4dDescriptor(raw, dataType, format, k, c, h, w), "cudnnSetFilter4dDescriptor");
        }
        catch
        {
            created.Dispose();
            throw;
        }
        return created;
    }

    /// <inheritdoc/>
    protected override bool ReleaseHandle() => CudnnNative.cudnnDestroyFilterDescriptor(handle) == 0;
}
