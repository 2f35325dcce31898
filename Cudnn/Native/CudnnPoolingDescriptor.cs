using System.Runtime.InteropServices;

namespace StaticGraph.Cuda.Native;

/// <summary>A cuDNN 2-D pooling (<c>cudnnPoolingDescriptor_t</c>) with its forward and backward calls; released with <c>cudnnDestroyPoolingDescriptor</c>.</summary>
public sealed unsafe class CudnnPoolingDescriptor : SafeHandle
{
    private CudnnPoolingDescriptor() : base(0, true) { }

    /// <inheritdoc/>
    public override bool IsInvalid => handle == 0;

    /// <summary>Creates a 2-D pooling window (<c>cudnnSetPooling2dDescriptor</c>).</summary>
    public static CudnnPoolingDescriptor Create2d(CudnnPoolingMode mode, int windowH, int windowW, int padH, int padW, int strideH, int strideW,
        CudnnNanPropagation nan = CudnnNanPropagation.Propagate)
    {
        Cudnn.Check(CudnnNative.cudnnCreatePoolingDescriptor(out var raw), "cudnnCreatePoolingDescriptor");
        var created = new CudnnPoolingDescriptor();
        created.SetHandle(raw);
        try
        {
            Cudnn.Check(CudnnNative.cudnnSetPooling2dDescriptor(raw, mode, nan, windowH, windowW, padH, padW, strideH, strideW), "cudnnSetPooling2dDescriptor");
        }
        catch
        {
            created.Dispose();
            throw;
        }
        return created;
    }

    /// <summary>y = alpha * pool(x) + beta * y (<c>cudnnPoolingForward</c>).</summary>
    public void Forward(CudnnHandle cudnn, double alpha, CudnnTensorDescriptor xDesc, ulong x, double beta, CudnnTensorDescriptor yDesc, ulong y)
    {
        CudnnScalar a = new(alpha), b = new(beta);
        Cudnn.Check(CudnnNative.cudnnPoolingForward(cudnn.DangerousGetHandle(), DangerousGetHandle(), Cudnn.ScalingPointer(&a, yDesc.DataType),
            xDesc.DangerousGetHandle(), x, Cudnn.ScalingPointer(&b, yDesc.DataType), yDesc.DangerousGetHandle(), y), "cudnnPoolingForward");
    }

    /// <summary>dx = alpha * pool'(dy) + beta * dx, from the forward's y and x (<c>cudnnPoolingBackward</c>).</summary>
    public void Backward(CudnnHandle cudnn, double alpha, CudnnTensorDescriptor yDesc, ulong y, CudnnTensorDescriptor dyDesc, ulong dy,
        CudnnTensorDescriptor xDesc, ulong x, double beta, CudnnTensorDescriptor dxDesc, ulong dx)
    {
        CudnnScalar a = new(alpha), b = new(beta);
        Cudnn.Check(CudnnNative.cudnnPoolingBackward(cudnn.DangerousGetHandle(), DangerousGetHandle(), Cudnn.ScalingPointer(&a, dxDesc.DataType),
            yDesc.DangerousGetHandle(), y, dyDesc.DangerousGetHandle(), dy, xDesc.DangerousGetHandle(), x, Cudnn.ScalingPointer(&b, dxDesc.DataType),
            dxDesc.DangerousGetHandle(), dx), "cudnnPoolingBackward");
    }

    /// <inheritdoc/>
    protected override bool ReleaseHandle() => CudnnNative.cudnnDestroyPoolingDescriptor(handle) == 0;
}
