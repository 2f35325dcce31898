namespace StaticGraph.Cuda.Native;

/// <summary>
/// cuDNN tensor-wide calls (<c>cudnn_ops.h</c>): softmax, add with broadcast, scale, fill. Scaling factors are given in the
/// type of the output's data (<see cref="Cudnn.ScalingPointer"/>).
/// </summary>
public static unsafe class CudnnTensorOps
{
    /// <summary>y = alpha * softmax(x) + beta * y (<c>cudnnSoftmaxForward</c>).</summary>
    public static void SoftmaxForward(CudnnHandle handle, CudnnSoftmaxAlgorithm algorithm, CudnnSoftmaxMode mode, double alpha, CudnnTensorDescriptor xDesc,
        ulong x, double beta, CudnnTensorDescriptor yDesc, ulong y)
    {
        CudnnScalar a = new(alpha), b = new(beta);
        Cudnn.Check(CudnnNative.cudnnSoftmaxForward(handle.DangerousGetHandle(), algorithm, mode, Cudnn.ScalingPointer(&a, yDesc.DataType),
            xDesc.DangerousGetHandle(), x, Cudnn.ScalingPointer(&b, yDesc.DataType), yDesc.DangerousGetHandle(), y), "cudnnSoftmaxForward");
    }

    /// <summary>dx = alpha * softmax'(y) dy + beta * dx (<c>cudnnSoftmaxBackward</c>; y is the forward's output).</summary>
    public static void SoftmaxBackward(CudnnHandle handle, CudnnSoftmaxAlgorithm algorithm, CudnnSoftmaxMode mode, double alpha, CudnnTensorDescriptor yDesc,
        ulong y, CudnnTensorDescriptor dyDesc, ulong dy, double beta, CudnnTensorDescriptor dxDesc, ulong dx)
    {
        CudnnScalar a = new(alpha), b = new(beta);
        Cudnn.Check(CudnnNative.cudnnSoftmaxBackward(handle.DangerousGetHandle(), algorithm, mode, Cudnn.ScalingPointer(&a, dxDesc.DataType),
            yDesc.DangerousGetHandle(), y, dyDesc.DangerousGetHandle(), dy, Cudnn.ScalingPointer(&b, dxDesc.DataType), dxDesc.DangerousGetHandle(), dx),
            "cudnnSoftmaxBackward");
    }

    /// <summary>C = alpha * A + beta * C, A broadcast over C's dimensions where A's are 1 (<c>cudnnAddTensor</c>).</summary>
    public static void Add(CudnnHandle handle, double alpha, CudnnTensorDescriptor aDesc, ulong a, double beta, CudnnTensorDescriptor cDesc, ulong c)
    {
        CudnnScalar sa = new(alpha), sb = new(beta);
        Cudnn.Check(CudnnNative.cudnnAddTensor(handle.DangerousGetHandle(), Cudnn.ScalingPointer(&sa, cDesc.DataType), aDesc.DangerousGetHandle(), a,
            Cudnn.ScalingPointer(&sb, cDesc.DataType), cDesc.DangerousGetHandle(), c), "cudnnAddTensor");
    }

    /// <summary>y = alpha * y (<c>cudnnScaleTensor</c>).</summary>
    public static void Scale(CudnnHandle handle, CudnnTensorDescriptor yDesc, ulong y, double alpha)
    {
        CudnnScalar a = new(alpha);
        Cudnn.Check(CudnnNative.cudnnScaleTensor(handle.DangerousGetHandle(), yDesc.DangerousGetHandle(), y, Cudnn.ScalingPointer(&a, yDesc.DataType)),
            "cudnnScaleTensor");
    }

    /// <summary>
    /// y[i] = value (<c>cudnnSetTensor</c>). cuDNN reads the value in the tensor's own type, so this is for float and double
    /// tensors only (a half tensor would need a 16-bit value).
    /// </summary>
    public static void Fill(CudnnHandle handle, CudnnTensorDescriptor yDesc, ulong y, double value)
    {
        if (yDesc.DataType is not (CudnnDataType.Float or CudnnDataType.Double))
            throw new NotSupportedException($"Fill supports float and double tensors, not {yDesc.DataType}");
        CudnnScalar v = new(value);
        Cudnn.Check(CudnnNative.cudnnSetTensor(handle.DangerousGetHandle(), yDesc.DangerousGetHandle(), y, Cudnn.ScalingPointer(&v, yDesc.DataType)),
            "cudnnSetTensor");
    }
}
