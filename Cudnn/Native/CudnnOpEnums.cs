namespace StaticGraph.Cuda.Native;

// Values from cuDNN 9's cudnn_ops.h (batch norm, pooling, softmax, op-tensor, reduce indices) and cudnn_graph.h
// (activation mode, reduce-tensor op).

/// <summary><c>cudnnBatchNormMode_t</c>.</summary>
public enum CudnnBatchNormMode
{
    /// <summary><c>CUDNN_BATCHNORM_PER_ACTIVATION</c>: parameters 1xCxHxW, normalised over N.</summary>
    PerActivation = 0,

    /// <summary><c>CUDNN_BATCHNORM_SPATIAL</c>: parameters 1xCx1x1, normalised over N, H, W (the safe default).</summary>
    Spatial = 1,

    /// <summary><c>CUDNN_BATCHNORM_SPATIAL_PERSISTENT</c>: faster spatial mode with limits on the range of values.</summary>
    SpatialPersistent = 2,
}

/// <summary><c>cudnnActivationMode_t</c>.</summary>
public enum CudnnActivationMode
{
    /// <summary><c>CUDNN_ACTIVATION_SIGMOID</c>.</summary>
    Sigmoid = 0,

    /// <summary><c>CUDNN_ACTIVATION_RELU</c>.</summary>
    Relu = 1,

    /// <summary><c>CUDNN_ACTIVATION_TANH</c>.</summary>
    Tanh = 2,

    /// <summary><c>CUDNN_ACTIVATION_CLIPPED_RELU</c> (coefficient: the ceiling).</summary>
    ClippedRelu = 3,

    /// <summary><c>CUDNN_ACTIVATION_ELU</c> (coefficient: alpha).</summary>
    Elu = 4,

    /// <summary><c>CUDNN_ACTIVATION_IDENTITY</c>.</summary>
    Identity = 5,

    /// <summary><c>CUDNN_ACTIVATION_SWISH</c>.</summary>
    Swish = 6,
}

/// <summary><c>cudnnPoolingMode_t</c>.</summary>
public enum CudnnPoolingMode
{
    /// <summary><c>CUDNN_POOLING_MAX</c>.</summary>
    Max = 0,

    /// <summary><c>CUDNN_POOLING_AVERAGE_COUNT_INCLUDE_PADDING</c>.</summary>
    AverageCountIncludePadding = 1,

    /// <summary><c>CUDNN_POOLING_AVERAGE_COUNT_EXCLUDE_PADDING</c>.</summary>
    AverageCountExcludePadding = 2,

    /// <summary><c>CUDNN_POOLING_MAX_DETERMINISTIC</c>.</summary>
    MaxDeterministic = 3,
}

/// <summary><c>cudnnSoftmaxAlgorithm_t</c>.</summary>
public enum CudnnSoftmaxAlgorithm
{
    /// <summary><c>CUDNN_SOFTMAX_FAST</c>: no max subtraction.</summary>
    Fast = 0,

    /// <summary><c>CUDNN_SOFTMAX_ACCURATE</c>: subtracts the max to avoid overflow.</summary>
    Accurate = 1,

    /// <summary><c>CUDNN_SOFTMAX_LOG</c>: log-softmax.</summary>
    Log = 2,
}

/// <summary><c>cudnnSoftmaxMode_t</c>.</summary>
public enum CudnnSoftmaxMode
{
    /// <summary><c>CUDNN_SOFTMAX_MODE_INSTANCE</c>: over C, H, W for each N.</summary>
    Instance = 0,

    /// <summary><c>CUDNN_SOFTMAX_MODE_CHANNEL</c>: over C for each N, H, W.</summary>
    Channel = 1,
}

/// <summary><c>cudnnOpTensorOp_t</c>.</summary>
public enum CudnnOpTensorOp
{
    /// <summary><c>CUDNN_OP_TENSOR_ADD</c>.</summary>
    Add = 0,

    /// <summary><c>CUDNN_OP_TENSOR_MUL</c>.</summary>
    Mul = 1,

    /// <summary><c>CUDNN_OP_TENSOR_MIN</c>.</summary>
    Min = 2,

    /// <summary><c>CUDNN_OP_TENSOR_MAX</c>.</summary>
    Max = 3,

    /// <summary><c>CUDNN_OP_TENSOR_SQRT</c> (B ignored).</summary>
    Sqrt = 4,

    /// <summary><c>CUDNN_OP_TENSOR_NOT</c> (B ignored).</summary>
    Not = 5,
}

/// <summary><c>cudnnReduceTensorOp_t</c>.</summary>
public enum CudnnReduceTensorOp
{
    /// <summary><c>CUDNN_REDUCE_TENSOR_ADD</c>.</summary>
    Add = 0,

    /// <summary><c>CUDNN_REDUCE_TENSOR_MUL</c>.</summary>
    Mul = 1,

    /// <summary><c>CUDNN_REDUCE_TENSOR_MIN</c>.</summary>
    Min = 2,

    /// <summary><c>CUDNN_REDUCE_TENSOR_MAX</c>.</summary>
    Max = 3,

    /// <summary><c>CUDNN_REDUCE_TENSOR_AMAX</c>.</summary>
    AbsMax = 4,

    /// <summary><c>CUDNN_REDUCE_TENSOR_AVG</c>.</summary>
    Average = 5,

    /// <summary><c>CUDNN_REDUCE_TENSOR_NORM1</c>.</summary>
    Norm1 = 6,

    /// <summary><c>CUDNN_REDUCE_TENSOR_NORM2</c>.</summary>
    Norm2 = 7,

    /// <summary><c>CUDNN_REDUCE_TENSOR_MUL_NO_ZEROS</c>.</summary>
    MulNoZeros = 8,
}

/// <summary><c>cudnnReduceTensorIndices_t</c>.</summary>
public enum CudnnReduceTensorIndices
{
    /// <summary><c>CUDNN_REDUCE_TENSOR_NO_INDICES</c>.</summary>
    None = 0,

    /// <summary><c>CUDNN_REDUCE_TENSOR_FLATTENED_INDICES</c> (min and max only).</summary>
    Flattened = 1,
}

/// <summary><c>cudnnIndicesType_t</c>.</summary>
public enum CudnnIndicesType
{
    /// <summary><c>CUDNN_32BIT_INDICES</c> (the only one supported).</summary>
    Bits32 = 0,

    /// <summary><c>CUDNN_64BIT_INDICES</c>.</summary>
    Bits64 = 1,

    /// <summary><c>CUDNN_16BIT_INDICES</c>.</summary>
    Bits16 = 2,

    /// <summary><c>CUDNN_8BIT_INDICES</c>.</summary>
    Bits8 = 3,
}
