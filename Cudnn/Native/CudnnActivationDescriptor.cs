using System.Runtime.InteropServices;

namespace StaticGraph.Cuda.Native;

/// <summary>A cuDNN activation (<c>cudnnActivationDescriptor_t</c>) with its forward and backward calls; released with <c>cudnnDestroyActivationDescriptor</c>.</summary>
public sealed unsafe class CudnnActivationDescriptor : SafeHandle
{
    private CudnnActivationDescriptor() : base(0, true) { }

    /// <inheritdoc/>
    public override bool IsInvalid => handle == 0;

    /// <summary>Creates the activation (<c>cudnnSetActivationDescriptor</c>); <paramref name="coefficient"/> is the clipped-ReLU ceiling or the ELU alpha.</summary>
    public static CudnnActivationDescriptor Create(CudnnActivationMode mode, CudnnNanPropagation nan = CudnnNanPropagation.Propagate, double coefficient = 0)
    {
        Cudnn.Check(CudnnNative.cudnnCreateActivationDescriptor(out var raw), "cudnnCreateActivationDescriptor");
        var created = new CudnnActivationDescriptor();
        created.SetHandle(raw);
        try
        {
            Cudnn.Check(CudnnNative.cudnnSetActivationDescriptor(raw, mode, nan, coefficient), "cudnnSetActivationDescriptor");
        }
        catch
        {
            created.Dispose();
            throw;
        }
        return created;
    }

    /// <summary>y = alpha * f(x) + beta * y (<c>cudnnActivationForward</c>).</summary>
    public void Forward(CudnnHandle cudnn, double alpha, CudnnTensorDescriptor xDesc, ulong x, double beta, CudnnTensorDescriptor yDesc, ulong y)
    {
        CudnnScalar a = new(alpha), b = new(beta);
        Cudnn.Check(CudnnNative.cudnnActivationForward(cudnn.DangerousGetHandle(), DangerousGetHandle(), Cudnn.ScalingPointer(&a, yDesc.DataType),
            xDesc.DangerousGetHandle(), x, Cudnn.ScalingPointer(&b, yDesc.DataType), yDesc.DangerousGetHandle(), y), "cudnnActivationForward");
    }

    /// <summary>dx = alpha * f'(x) dy + beta * dx, from the forward's y and x (<c>cudnnActivationBackward</c>).</summary>
    public void Backward(CudnnHandle cudnn, double alpha, CudnnTensorDescriptor yDesc, ulong y, CudnnTensorDescriptor dyDesc, ulong dy,
        CudnnTensorDescriptor xDesc, ulong x, double beta, CudnnTensorDescriptor dxDesc, ulong dx)
    {
        CudnnScalar a = new(alpha), b = new(beta);
        Cudnn.Check(CudnnNative.cudnnActivationBackward(cudnn.DangerousGetHandle(), DangerousGetHandle(), Cudnn.ScalingPointer(&a, dxDesc.DataType),
            yDesc.DangerousGetHandle(), y, dyDesc.DangerousGetHandle(), dy, xDesc.DangerousGetHandle(), x, Cudnn.ScalingPointer(&b, dxDesc.DataType),
            dxDesc.DangerousGetHandle(), dx), "cudnnActivationBackward");
    }

    /// <inheritdoc/>
    protected override bool ReleaseHandle() => CudnnNative.cudnnDestroyActivationDescriptor(handle) == 0;
}
