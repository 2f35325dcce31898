namespace StaticGraph.Cuda.Native;

// Values from cuDNN 9's cudnn_graph.h (data type, math type, NaN propagation, tensor format, convolution mode) and
// cudnn_ops.h (determinism). Each enum is an int in the C ABI, as C# enums are by default.

/// <summary><c>cudnnDataType_t</c>.</summary>
internal enum CudnnDataType
{
    /// <summary><c>CUDNN_DATA_FLOAT</c>.</summary>
    Float = 0,

    /// <summary><c>CUDNN_DATA_DOUBLE</c>.</summary>
    Double = 1,

    /// <summary><c>CUDNN_DATA_HALF</c>.</summary>
    Half = 2,

    /// <summary><c>CUDNN_DATA_INT8</c>.</summary>
    Int8 = 3,

    /// <summary><c>CUDNN_DATA_INT32</c>.</summary>
    Int32 = 4,

    /// <summary><c>CUDNN_DATA_UINT8</c>.</summary>
    UInt8 = 6,

    /// <summary><c>CUDNN_DATA_BFLOAT16</c>.</summary>
    BFloat16 = 9,

    /// <summary><c>CUDNN_DATA_INT64</c>.</summary>
    Int64 = 10,

    /// <summary><c>CUDNN_DATA_BOOLEAN</c>.</summary>
    Boolean = 11,
}

/// <summary><c>cudnnTensorFormat_t</c>.</summary>
internal enum CudnnTensorFormat
{
    /// <summary><c>CUDNN_TENSOR_NCHW</c>: row major, w stride 1.</summary>
    Nchw = 0,

    /// <summary><c>CUDNN_TENSOR_NHWC</c>: channels interleaved, c stride 1.</summary>
    Nhwc = 1,

    /// <summary><c>CUDNN_TENSOR_NCHW_VECT_C</c>.</summary>
    NchwVectC = 2,
}

/// <summary><c>cudnnMathType_t</c>.</summary>
internal enum CudnnMathType
{
    /// <summary><c>CUDNN_DEFAULT_MATH</c>.</summary>
    Default = 0,

    /// <summary><c>CUDNN_TENSOR_OP_MATH</c>: tensor cores allowed.</summary>
    TensorOp = 1,

    /// <summary><c>CUDNN_TENSOR_OP_MATH_ALLOW_CONVERSION</c>: tensor cores with down-conversion of FP32 data.</summary>
    TensorOpAllowConversion = 2,

    /// <summary><c>CUDNN_FMA_MATH</c>: FMA only, no tensor cores (FP32 without TF32).</summary>
    Fma = 3,
}

/// <summary><c>cudnnDeterminism_t</c>.</summary>
internal enum CudnnDeterminism
{
    /// <summary><c>CUDNN_NON_DETERMINISTIC</c>.</summary>
    NonDeterministic = 0,

    /// <summary><c>CUDNN_DETERMINISTIC</c>.</summary>
    Deterministic = 1,
}

/// <summary><c>cudnnConvolutionMode_t</c>.</summary>
internal enum CudnnConvolutionMode
{
    /// <summary><c>CUDNN_CONVOLUTION</c>: the filter is flipped.</summary>
    Convolution = 0,

    /// <summary><c>CUDNN_CROSS_CORRELATION</c>: what deep-learning frameworks call convolution.</summary>
    CrossCorrelation = 1,
}
