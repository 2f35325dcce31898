using System.Runtime.InteropServices;

namespace StaticGraph.Cuda.Native;

/// <summary>A cuDNN tensor descriptor (<c>cudnnTensorDescriptor_t</c>) that remembers its data type and shape; released with <c>cudnnDestroyTensorDescriptor</c>.</summary>
internal sealed unsafe class CudnnTensorDescriptor : SafeHandle
{
    private CudnnTensorDescriptor() : base(0, true) { }

    /// <inheritdoc/>
    public override bool IsInvalid => handle == 0;

    /// <summary>The element type (it also decides the type of the scaling factors, see <see cref="Cudnn.ScalingPointer"/>).</summary>
    public CudnnDataType DataType { get; private set; }

    /// <summary>The dimensions, outermost first.</summary>
    public IReadOnlyList<int> Dimensions { get; internal set; } = [];

    /// <summary>The strides in elements, matching <see cref="Dimensions"/>.</summary>
    public IReadOnlyList<int> Strides { get; internal set; } = [];

    /// <summary>Creates an empty descriptor (<c>cudnnCreateTensorDescriptor</c>), to be set by cuDNN.</summary>
    public static CudnnTensorDescriptor CreateEmpty(CudnnDataType dataType)
    {
        Cudnn.Check(CudnnNative.cudnnCreateTensorDescriptor(out var raw), "cudnnCreateTensorDescriptor");
        var created = new CudnnTensorDescriptor { DataType = dataType };
        created.SetHandle(raw);
        return created;
    }

    /// <summary>A packed NCHW 4-D tensor (<c>cudnnSetTensor4dDescriptor</c> with <c>CUDNN_TENSOR_NCHW</c>).</summary>
    public static CudnnTensorDescriptor Create4d(CudnnDataType dataType, int n, int c, int h, int w)
    {
        var created = CreateEmpty(dataType);
        try
        {
            Cudnn.Check(CudnnNative.cudnnSetTensor4dDescriptor(created.DangerousGetHandle(), CudnnTensorFormat.Nchw, dataType, n, c, h, w),
                "cudnnSetTensor4dDescriptor");
        }
        catch
        {
            created.Dispose();
            throw;
        }
        created.Dimensions = [n, c, h, w];
        created.Strides = PackedStrides([n, c, h, w]);
        return created;
    }

    /// <summary>
    /// An N-D tensor with explicit strides in elements (<c>cudnnSetTensorNdDescriptor</c>). cuDNN wants 3 to 8 dimensions (4 or
    /// more for most operations): pad lower-rank tensors with leading or trailing 1s.
    /// </summary>
    public static CudnnTensorDescriptor CreateNd(CudnnDataType dataType, ReadOnlySpan<int> dimensions, ReadOnlySpan<int> strides)
    {
        if (dimensions.Length != strides.Length) throw new ArgumentException($"{dimensions.Length} dimensions but {strides.Length} strides", nameof(strides));
        var created = CreateEmpty(dataType);
        try
        {
            fixed (int* d = dimensions, s = strides)
                Cudnn.Check(CudnnNative.cudnnSetTensorNdDescriptor(created.DangerousGetHandle(), dataType, dimensions.Length, d, s), "cudnnSetTensorNdDescriptor");
        }
        catch
        {
            created.Dispose();
            throw;
        }
        created.Dimensions = dimensions.ToArray();
        created.Strides = strides.ToArray();
        return created;
    }

    /// <summary>Row-major strides (in elements) of a packed tensor of <paramref name="dimensions"/>.</summary>
    public static int[] PackedStrides(ReadOnlySpan<int> dimensions)
    {
        var strides = new int[dimensions.Length];
        var stride = 1L;
        for (var i = dimensions.Length - 1; i >= 0; i--)
        {
            strides[i] = checked((int)stride);
            stride *= dimensions[i];
        }
        return strides;
    }

    /// <summary>The bytes the tensor spans (<c>cudnnGetTensorSizeInBytes</c>).</summary>
    public long SizeInBytes()
    {
        Cudnn.Check(CudnnNative.cudnnGetTensorSizeInBytes(DangerousGetHandle(), out var bytes), "cudnnGetTensorSizeInBytes");
        return (long)bytes;
    }

    /// <inheritdoc/>
    protected override bool ReleaseHandle() => CudnnNative.cudnnDestroyTensorDescriptor(handle) == 0;
}
