namespace StaticGraph.Cuda.Native;

// Values from cuDNN 9's cudnn_ops.h ("TODO: move these enums out to the appropriate submodule").

/// <summary><c>cudnnConvolutionFwdAlgo_t</c>.</summary>
internal enum CudnnConvolutionFwdAlgo
{
    /// <summary><c>CUDNN_CONVOLUTION_FWD_ALGO_IMPLICIT_GEMM</c>.</summary>
    ImplicitGemm = 0,

    /// <summary><c>CUDNN_CONVOLUTION_FWD_ALGO_IMPLICIT_PRECOMP_GEMM</c>.</summary>
    ImplicitPrecompGemm = 1,

    /// <summary><c>CUDNN_CONVOLUTION_FWD_ALGO_GEMM</c>.</summary>
    Gemm = 2,

    /// <summary><c>CUDNN_CONVOLUTION_FWD_ALGO_DIRECT</c>.</summary>
    Direct = 3,

    /// <summary><c>CUDNN_CONVOLUTION_FWD_ALGO_FFT</c>.</summary>
    Fft = 4,

    /// <summary><c>CUDNN_CONVOLUTION_FWD_ALGO_FFT_TILING</c>.</summary>
    FftTiling = 5,

    /// <summary><c>CUDNN_CONVOLUTION_FWD_ALGO_WINOGRAD</c>.</summary>
    Winograd = 6,

    /// <summary><c>CUDNN_CONVOLUTION_FWD_ALGO_WINOGRAD_NONFUSED</c>.</summary>
    WinogradNonfused = 7,

    /// <summary><c>CUDNN_CONVOLUTION_FWD_ALGO_COUNT</c>.</summary>
    Count = 8,
}

/// <summary><c>cudnnConvolutionBwdDataAlgo_t</c>.</summary>
internal enum CudnnConvolutionBwdDataAlgo
{
    /// <summary><c>CUDNN_CONVOLUTION_BWD_DATA_ALGO_0</c> (non-deterministic).</summary>
    Algo0 = 0,

    /// <summary><c>CUDNN_CONVOLUTION_BWD_DATA_ALGO_1</c>.</summary>
    Algo1 = 1,

    /// <summary><c>CUDNN_CONVOLUTION_BWD_DATA_ALGO_FFT</c>.</summary>
    Fft = 2,

    /// <summary><c>CUDNN_CONVOLUTION_BWD_DATA_ALGO_FFT_TILING</c>.</summary>
    FftTiling = 3,

    /// <summary><c>CUDNN_CONVOLUTION_BWD_DATA_ALGO_WINOGRAD</c>.</summary>
    Winograd = 4,

    /// <summary><c>CUDNN_CONVOLUTION_BWD_DATA_ALGO_WINOGRAD_NONFUSED</c>.</summary>
    WinogradNonfused = 5,

    /// <summary><c>CUDNN_CONVOLUTION_BWD_DATA_ALGO_COUNT</c>.</summary>
    Count = 6,
}

/// <summary><c>cudnnConvolutionBwdFilterAlgo_t</c>.</summary>
internal enum CudnnConvolutionBwdFilterAlgo
{
    /// <summary><c>CUDNN_CONVOLUTION_BWD_FILTER_ALGO_0</c> (non-deterministic).</summary>
    Algo0 = 0,

    /// <summary><c>CUDNN_CONVOLUTION_BWD_FILTER_ALGO_1</c>.</summary>
    Algo1 = 1,

    /// <summary><c>CUDNN_CONVOLUTION_BWD_FILTER_ALGO_FFT</c>.</summary>
    Fft = 2,

    /// <summary><c>CUDNN_CONVOLUTION_BWD_FILTER_ALGO_3</c> (non-deterministic).</summary>
    Algo3 = 3,

    /// <summary><c>CUDNN_CONVOLUTION_BWD_FILTER_ALGO_WINOGRAD</c> (not implemented by cuDNN).</summary>
    Winograd = 4,

    /// <summary><c>CUDNN_CONVOLUTION_BWD_FILTER_ALGO_WINOGRAD_NONFUSED</c>.</summary>
    WinogradNonfused = 5,

    /// <summary><c>CUDNN_CONVOLUTION_BWD_FILTER_ALGO_FFT_TILING</c>.</summary>
    FftTiling = 6,

    /// <summary><c>CUDNN_CONVOLUTION_BWD_FILTER_ALGO_COUNT</c>.</summary>
    Count = 7,
}
