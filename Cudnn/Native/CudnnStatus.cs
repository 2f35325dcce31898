namespace StaticGraph.Cuda.Native;

/// <summary>The category of a cuDNN 9 status: its thousands (<c>CUDNN_STATUS_CATEGORY</c> of <c>cudnn_graph.h</c>).</summary>
public enum CudnnStatusCategory
{
    /// <summary>Not a cuDNN 9 status (negative, 1..999 as in cuDNN 8's numbering, or 6000 and above).</summary>
    Unknown = -1,

    /// <summary>0: <c>CUDNN_STATUS_SUCCESS</c>.</summary>
    Success = 0,

    /// <summary>1000: uncategorized errors, starting with <c>CUDNN_STATUS_NOT_INITIALIZED</c> (1001).</summary>
    NotInitialized = 1000,

    /// <summary>2000: <c>CUDNN_STATUS_BAD_PARAM</c> and its sub-codes.</summary>
    BadParam = 2000,

    /// <summary>3000: <c>CUDNN_STATUS_NOT_SUPPORTED</c> and its sub-codes.</summary>
    NotSupported = 3000,

    /// <summary>4000: <c>CUDNN_STATUS_INTERNAL_ERROR</c> and its sub-codes.</summary>
    InternalError = 4000,

    /// <summary>5000: <c>CUDNN_STATUS_EXECUTION_FAILED</c> and its sub-codes.</summary>
    ExecutionFailed = 5000,
}

/// <summary>cuDNN 9 status codes described without the library (names and numbers from <c>cudnn_graph.h</c> of cuDNN 9.6).</summary>
internal static class CudnnStatus
{
    /// <summary><c>CUDNN_STATUS_SUCCESS</c>.</summary>
    public const int Success = 0;

    private static readonly Dictionary<int, string> Names = new()
    {
        [0] = "CUDNN_STATUS_SUCCESS",
        [1001] = "CUDNN_STATUS_NOT_INITIALIZED",
        [1002] = "CUDNN_STATUS_SUBLIBRARY_VERSION_MISMATCH",
        [1003] = "CUDNN_STATUS_SERIALIZATION_VERSION_MISMATCH",
        [1004] = "CUDNN_STATUS_DEPRECATED",
        [1005] = "CUDNN_STATUS_LICENSE_ERROR",
        [1006] = "CUDNN_STATUS_RUNTIME_IN_PROGRESS",
        [1007] = "CUDNN_STATUS_RUNTIME_FP_OVERFLOW",
        [1008] = "CUDNN_STATUS_SUBLIBRARY_LOADING_FAILED",
        [2000] = "CUDNN_STATUS_BAD_PARAM",
        [2001] = "CUDNN_STATUS_INVALID_VALUE",
        [2002] = "CUDNN_STATUS_BAD_PARAM_NULL_POINTER",
        [2003] = "CUDNN_STATUS_BAD_PARAM_MISALIGNED_POINTER",
        [2004] = "CUDNN_STATUS_BAD_PARAM_NOT_FINALIZED",
        [2005] = "CUDNN_STATUS_BAD_PARAM_OUT_OF_BOUND",
        [2006] = "CUDNN_STATUS_BAD_PARAM_SIZE_INSUFFICIENT",
        [2007] = "CUDNN_STATUS_BAD_PARAM_STREAM_MISMATCH",
        [2008] = "CUDNN_STATUS_BAD_PARAM_SHAPE_MISMATCH",
        [2009] = "CUDNN_STATUS_BAD_PARAM_DUPLICATED_ENTRIES",
        [2010] = "CUDNN_STATUS_BAD_PARAM_ATTRIBUTE_TYPE",
        [2011] = "CUDNN_STATUS_BAD_PARAM_CUDA_GRAPH_MISMATCH",
        [2012] = "CUDNN_STATUS_BAD_PARAM_DESCRIPTOR_TYPE",
        [3000] = "CUDNN_STATUS_NOT_SUPPORTED",
        [3001] = "CUDNN_STATUS_NOT_SUPPORTED_GRAPH_PATTERN",
        [3002] = "CUDNN_STATUS_NOT_SUPPORTED_SHAPE",
        [3003] = "CUDNN_STATUS_NOT_SUPPORTED_DATA_TYPE",
        [3004] = "CUDNN_STATUS_NOT_SUPPORTED_LAYOUT",
        [3005] = "CUDNN_STATUS_NOT_SUPPORTED_INCOMPATIBLE_CUDA_DRIVER",
        [3006] = "CUDNN_STATUS_NOT_SUPPORTED_INCOMPATIBLE_CUDART",
        [3007] = "CUDNN_STATUS_NOT_SUPPORTED_ARCH_MISMATCH",
        [3008] = "CUDNN_STATUS_NOT_SUPPORTED_RUNTIME_PREREQUISITE_MISSING",
        [3009] = "CUDNN_STATUS_NOT_SUPPORTED_SUBLIBRARY_UNAVAILABLE",
        [3010] = "CUDNN_STATUS_NOT_SUPPORTED_SHARED_MEMORY_INSUFFICIENT",
        [3011] = "CUDNN_STATUS_NOT_SUPPORTED_PADDING",
        [3012] = "CUDNN_STATUS_NOT_SUPPORTED_BAD_LAUNCH_PARAM",
        [3013] = "CUDNN_STATUS_NOT_SUPPORTED_CUDA_GRAPH_NATIVE_API",
        [4000] = "CUDNN_STATUS_INTERNAL_ERROR",
        [4001] = "CUDNN_STATUS_INTERNAL_ERROR_COMPILATION_FAILED",
        [4002] = "CUDNN_STATUS_INTERNAL_ERROR_UNEXPECTED_VALUE",
        [4003] = "CUDNN_STATUS_INTERNAL_ERROR_HOST_ALLOCATION_FAILED",
        [4004] = "CUDNN_STATUS_INTERNAL_ERROR_DEVICE_ALLOCATION_FAILED",
        [4005] = "CUDNN_STATUS_INTERNAL_ERROR_BAD_LAUNCH_PARAM",
        [4006] = "CUDNN_STATUS_INTERNAL_ERROR_TEXTURE_CREATION_FAILED",
        [5000] = "CUDNN_STATUS_EXECUTION_FAILED",
        [5001] = "CUDNN_STATUS_EXECUTION_FAILED_CUDA_DRIVER",
        [5002] = "CUDNN_STATUS_EXECUTION_FAILED_CUBLAS",
        [5003] = "CUDNN_STATUS_EXECUTION_FAILED_CUDART",
        [5004] = "CUDNN_STATUS_EXECUTION_FAILED_CURAND",
    };

    /// <summary>The category of <paramref name="code"/> (its thousands), or <see cref="CudnnStatusCategory.Unknown"/>.</summary>
    public static CudnnStatusCategory Category(int code) => code switch
    {
        0 => CudnnStatusCategory.Success,
        >= 1000 and < 6000 => (CudnnStatusCategory)(code / 1000 * 1000),
        _ => CudnnStatusCategory.Unknown,
    };

    /// <summary>The header name of <paramref name="code"/>, or <c>null</c> when it is not one of cuDNN 9.6's codes.</summary>
    public static string? Name(int code) => Names.GetValueOrDefault(code);

    /// <summary>
    /// A one-line description of <paramref name="code"/> that needs no library: the header name when known, else the category
    /// and sub-code (a newer cuDNN may add sub-codes), e.g. <c>CUDNN_STATUS_BAD_PARAM_NULL_POINTER (2002): bad parameter, sub-code 2</c>.
    /// </summary>
    public static string Describe(int code)
    {
        var category = Category(code);
        var what = category switch
        {
            CudnnStatusCategory.Success => "success",
            CudnnStatusCategory.NotInitialized => "not initialized or uncategorized error",
            CudnnStatusCategory.BadParam => "bad parameter",
            CudnnStatusCategory.NotSupported => "not supported",
            CudnnStatusCategory.InternalError => "internal error",
            CudnnStatusCategory.ExecutionFailed => "execution failed",
            _ => "not a cuDNN 9 status (cuDNN 9 codes are 0 or 1000-5999)",
        };
        var subCode = code % 1000;
        if (category is not CudnnStatusCategory.Unknown and not CudnnStatusCategory.Success && subCode != 0) what += $", sub-code {subCode}";
        return $"{Name(code) ?? "unknown cudnnStatus_t"} ({code}): {what}";
    }
}
