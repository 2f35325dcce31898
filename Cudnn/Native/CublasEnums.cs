namespace StaticGraph.Cuda.Native;

// Values from cublas_api.h of CUDA 12.6 (cuBLAS 12.6.4) and library_types.h (cudaDataType).

/// <summary><c>cublasOperation_t</c>.</summary>
internal enum CublasOperation
{
    /// <summary><c>CUBLAS_OP_N</c>: as stored.</summary>
    None = 0,

    /// <summary><c>CUBLAS_OP_T</c>: transposed.</summary>
    Transpose = 1,

    /// <summary><c>CUBLAS_OP_C</c>: conjugate transposed.</summary>
    ConjugateTranspose = 2,
}

/// <summary><c>cublasMath_t</c> (a mode, optionally or-ed with <see cref="DisallowReducedPrecisionReduction"/>).</summary>
[Flags]
internal enum CublasMath
{
    /// <summary><c>CUBLAS_DEFAULT_MATH</c>.</summary>
    Default = 0,

    /// <summary><c>CUBLAS_TENSOR_OP_MATH</c> (deprecated).</summary>
    TensorOp = 1,

    /// <summary><c>CUBLAS_PEDANTIC_MATH</c>: standard arithmetic in the exact storage format.</summary>
    Pedantic = 2,

    /// <summary><c>CUBLAS_TF32_TENSOR_OP_MATH</c>: FP32 routines may use TF32 tensor cores.</summary>
    Tf32TensorOp = 3,

    /// <summary><c>CUBLAS_MATH_DISALLOW_REDUCED_PRECISION_REDUCTION</c>.</summary>
    DisallowReducedPrecisionReduction = 16,
}

/// <summary><c>cublasComputeType_t</c>: the accumulation type of <c>cublasGemmEx</c>, distinct from the data types.</summary>
internal enum CublasComputeType
{
    /// <summary><c>CUBLAS_COMPUTE_16F</c>.</summary>
    Compute16F = 64,

    /// <summary><c>CUBLAS_COMPUTE_16F_PEDANTIC</c>.</summary>
    Compute16FPedantic = 65,

    /// <summary><c>CUBLAS_COMPUTE_32F</c>.</summary>
    Compute32F = 68,

    /// <summary><c>CUBLAS_COMPUTE_32F_PEDANTIC</c>.</summary>
    Compute32FPedantic = 69,

    /// <summary><c>CUBLAS_COMPUTE_64F</c>.</summary>
    Compute64F = 70,

    /// <summary><c>CUBLAS_COMPUTE_64F_PEDANTIC</c>.</summary>
    Compute64FPedantic = 71,

    /// <summary><c>CUBLAS_COMPUTE_32I</c>.</summary>
    Compute32I = 72,

    /// <summary><c>CUBLAS_COMPUTE_32I_PEDANTIC</c>.</summary>
    Compute32IPedantic = 73,

    /// <summary><c>CUBLAS_COMPUTE_32F_FAST_16F</c>.</summary>
    Compute32FFast16F = 74,

    /// <summary><c>CUBLAS_COMPUTE_32F_FAST_16BF</c>.</summary>
    Compute32FFast16BF = 75,

    /// <summary><c>CUBLAS_COMPUTE_32F_FAST_TF32</c>.</summary>
    Compute32FFastTf32 = 77,
}

/// <summary><c>cudaDataType_t</c> (real types only).</summary>
internal enum CudaDataType
{
    /// <summary><c>CUDA_R_32F</c>.</summary>
    R32F = 0,

    /// <summary><c>CUDA_R_64F</c>.</summary>
    R64F = 1,

    /// <summary><c>CUDA_R_16F</c>.</summary>
    R16F = 2,

    /// <summary><c>CUDA_R_8I</c>.</summary>
    R8I = 3,

    /// <summary><c>CUDA_R_32I</c>.</summary>
    R32I = 10,

    /// <summary><c>CUDA_R_16BF</c>.</summary>
    R16BF = 14,
}

/// <summary><c>cublasGemmAlgo_t</c> (the only value worth using since cuBLAS 11: the default).</summary>
internal enum CublasGemmAlgo
{
    /// <summary><c>CUBLAS_GEMM_DEFAULT</c>.</summary>
    Default = -1,
}
