namespace StaticGraph.Cuda.Native;

/// <summary>
/// cuDNN batch normalisation (<c>cudnn_ops.h</c>). Scale, bias, mean and variance share one descriptor from
/// <see cref="DeriveTensorDescriptor"/> (float for float and half data, double for double). Blend factors are given in the
/// type of the data (<see cref="Cudnn.ScalingPointer"/>). <see cref="CudnnBatchNormMode.Spatial"/> is the safe default.
/// </summary>
public static unsafe class CudnnBatchNorm
{
    /// <summary>The descriptor of the scale/bias/mean/variance tensors for input <paramref name="xDesc"/> (<c>cudnnDeriveBNTensorDescriptor</c>).</summary>
    public static CudnnTensorDescriptor DeriveTensorDescriptor(CudnnTensorDescriptor xDesc, CudnnBatchNormMode mode)
    {
        // cudnn_ops.h: "type = (typeOf(x) == double) ? double : float".
        var derived = CudnnTensorDescriptor.CreateEmpty(xDesc.DataType == CudnnDataType.Double ? CudnnDataType.Double : CudnnDataType.Float);
        try
        {
            Cudnn.Check(CudnnNative.cudnnDeriveBNTensorDescriptor(derived.DangerousGetHandle(), xDesc.DangerousGetHandle(), mode), "cudnnDeriveBNTensorDescriptor");
        }
        catch
        {
            derived.Dispose();
            throw;
        }
        if (xDesc.Dimensions.Count == 4)
        {
            int[] shape = mode == CudnnBatchNormMode.PerActivation ? [1, xDesc.Dimensions[1], xDesc.Dimensions[2], xDesc.Dimensions[3]] : [1, xDesc.Dimensions[1], 1, 1];
            derived.Dimensions = shape;
            derived.Strides = CudnnTensorDescriptor.PackedStrides(shape);
        }
        return derived;
    }

    /// <summary>
    /// Training forward (<c>cudnnBatchNormalizationForwardTraining</c>): normalises with the batch statistics, updates the
    /// running averages with <paramref name="exponentialAverageFactor"/> (1 on the first call) and saves the mean and inverse
    /// variance for the backward pass (pass 0 for the save pointers to skip that).
    /// </summary>
    public static void ForwardTraining(CudnnHandle handle, CudnnBatchNormMode mode, double alpha, double beta, CudnnTensorDescriptor xDesc, ulong x,
        CudnnTensorDescriptor yDesc, ulong y, CudnnTensorDescriptor paramDesc, ulong scale, ulong bias, double exponentialAverageFactor,
        ulong runningMean, ulong runningVariance, double epsilon, ulong saveMean, ulong saveInvVariance)
    {
        CudnnScalar a = new(alpha), b = new(beta);
        Cudnn.Check(CudnnNative.cudnnBatchNormalizationForwardTraining(handle.DangerousGetHandle(), mode, Cudnn.ScalingPointer(&a, yDesc.DataType),
            Cudnn.ScalingPointer(&b, yDesc.DataType), xDesc.DangerousGetHandle(), x, yDesc.DangerousGetHandle(), y, paramDesc.DangerousGetHandle(), scale, bias,
            exponentialAverageFactor, runningMean, runningVariance, epsilon, saveMean, saveInvVariance), "cudnnBatchNormalizationForwardTraining");
    }

    /// <summary>Inference forward with the running statistics (<c>cudnnBatchNormalizationForwardInference</c>).</summary>
    public static void ForwardInference(CudnnHandle handle, CudnnBatchNormMode mode, double alpha, double beta, CudnnTensorDescriptor xDesc, ulong x,
        CudnnTensorDescriptor yDesc, ulong y, CudnnTensorDescriptor paramDesc, ulong scale, ulong bias, ulong estimatedMean, ulong estimatedVariance,
        double epsilon)
    {
        CudnnScalar a = new(alpha), b = new(beta);
        Cudnn.Check(CudnnNative.cudnnBatchNormalizationForwardInference(handle.DangerousGetHandle(), mode, Cudnn.ScalingPointer(&a, yDesc.DataType),
            Cudnn.ScalingPointer(&b, yDesc.DataType), xDesc.DangerousGetHandle(), x, yDesc.DangerousGetHandle(), y, paramDesc.DangerousGetHandle(), scale, bias,
            estimatedMean, estimatedVariance, epsilon), "cudnnBatchNormalizationForwardInference");
    }

    /// <summary>
    /// Backward (<c>cudnnBatchNormalizationBackward</c>): dx, d(scale) and d(bias), with separate blend factors for the data
    /// gradient and the parameter gradients; pass the saved mean and inverse variance of the forward pass (or 0 for both).
    /// </summary>
    public static void Backward(CudnnHandle handle, CudnnBatchNormMode mode, double alphaData, double betaData, double alphaParam, double betaParam,
        CudnnTensorDescriptor xDesc, ulong x, CudnnTensorDescriptor dyDesc, ulong dy, CudnnTensorDescriptor dxDesc, ulong dx, CudnnTensorDescriptor paramDesc,
        ulong scale, ulong scaleGradient, ulong biasGradient, double epsilon, ulong savedMean, ulong savedInvVariance)
    {
        CudnnScalar ad = new(alphaData), bd = new(betaData), ap = new(alphaParam), bp = new(betaParam);
        Cudnn.Check(CudnnNative.cudnnBatchNormalizationBackward(handle.DangerousGetHandle(), mode, Cudnn.ScalingPointer(&ad, dxDesc.DataType),
            Cudnn.ScalingPointer(&bd, dxDesc.DataType), Cudnn.ScalingPointer(&ap, dxDesc.DataType), Cudnn.ScalingPointer(&bp, dxDesc.DataType),
            xDesc.DangerousGetHandle(), x, dyDesc.DangerousGetHandle(), dy, dxDesc.DangerousGetHandle(), dx, paramDesc.DangerousGetHandle(), scale,
            scaleGradient, biasGradient, epsilon, savedMean, savedInvVariance), "cudnnBatchNormalizationBackward");
    }
}
