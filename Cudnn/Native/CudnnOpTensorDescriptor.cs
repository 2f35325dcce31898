using System.Runtime.InteropServices;

namespace StaticGraph.Cuda.Native;

/// <summary>A cuDNN element-wise binary operation (<c>cudnnOpTensorDescriptor_t</c>); released with <c>cudnnDestroyOpTensorDescriptor</c>.</summary>
public sealed unsafe class CudnnOpTensorDescriptor : SafeHandle
{
    private CudnnOpTensorDescriptor() : base(0, true) { }

    /// <inheritdoc/>
    public override bool IsInvalid => handle == 0;

    /// <summary>Creates the operation (<c>cudnnSetOpTensorDescriptor</c>); <paramref name="computeType"/> is float for float and half data, double for double.</summary>
    public static CudnnOpTensorDescriptor Create(CudnnOpTensorOp op, CudnnDataType computeType, CudnnNanPropagation nan = CudnnNanPropagation.Propagate)
    {
        Cudnn.Check(CudnnNative.cudnnCreateOpTensorDescriptor(out var raw), "cudnnCreateOpTensorDescriptor");
        var created = new CudnnOpTensorDescriptor();
        created.SetHandle(raw);
        try
        {
            Cudnn.Check(CudnnNative.cudnnSetOpTensorDescriptor(raw, op, computeType, nan), "cudnnSetOpTensorDescriptor");
        }
        catch
        {
            created.Dispose();
            throw;
        }
        return created;
    }

    /// <summary>C = op(alpha1 * A, alpha2 * B) + beta * C, B broadcast where its dimensions are 1 (<c>cudnnOpTensor</c>).</summary>
    public void Apply(CudnnHandle cudnn, double alpha1, CudnnTensorDescriptor aDesc, ulong a, double alpha2, CudnnTensorDescriptor bDesc, ulong b,
        double beta, CudnnTensorDescriptor cDesc, ulong c)
    {
        CudnnScalar s1 = new(alpha1), s2 = new(alpha2), sb = new(beta);
        Cudnn.Check(CudnnNative.cudnnOpTensor(cudnn.DangerousGetHandle(), DangerousGetHandle(), Cudnn.ScalingPointer(&s1, cDesc.DataType),
            aDesc.DangerousGetHandle(), a, Cudnn.ScalingPointer(&s2, cDesc.DataType), bDesc.DangerousGetHandle(), b, Cudnn.ScalingPointer(&sb, cDesc.DataType),
            cDesc.DangerousGetHandle(), c), "cudnnOpTensor");
    }

    /// <inheritdoc/>
    protected override bool ReleaseHandle() => CudnnNative.cudnnDestroyOpTensorDescriptor(handle) == 0;
}
