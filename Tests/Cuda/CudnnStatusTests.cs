using StaticGraph.Cuda.Native;
using Xunit;

namespace StaticGraph.Tests.Cuda;

/// <summary>cuDNN 9 status descriptions and the exception message, without the library.</summary>
public class CudnnStatusTests
{
    [Theory]
    [InlineData(0, CudnnStatusCategory.Success)]
    [InlineData(1001, CudnnStatusCategory.NotInitialized)]
    [InlineData(1008, CudnnStatusCategory.NotInitialized)]
    [InlineData(2000, CudnnStatusCategory.BadParam)]
    [InlineData(2002, CudnnStatusCategory.BadParam)]
    [InlineData(3007, CudnnStatusCategory.NotSupported)]
    [InlineData(4003, CudnnStatusCategory.InternalError)]
    [InlineData(5002, CudnnStatusCategory.ExecutionFailed)]
    [InlineData(5999, CudnnStatusCategory.ExecutionFailed)]
    [InlineData(3, CudnnStatusCategory.Unknown)]
    [InlineData(-1, CudnnStatusCategory.Unknown)]
    [InlineData(6000, CudnnStatusCategory.Unknown)]
    public void Category_is_the_thousands(int code, CudnnStatusCategory expected) => Assert.Equal(expected, CudnnStatus.Category(code));

    [Fact]
    public void Describe_names_known_codes_and_sub_codes()
    {
        // Names and numbers from cudnn_graph.h of cuDNN 9.6.
        Assert.Equal("CUDNN_STATUS_SUCCESS (0): success", CudnnStatus.Describe(0));
        Assert.Equal("CUDNN_STATUS_BAD_PARAM (2000): bad parameter", CudnnStatus.Describe(2000));
        Assert.Equal("CUDNN_STATUS_BAD_PARAM_NULL_POINTER (2002): bad parameter, sub-code 2", CudnnStatus.Describe(2002));
        Assert.StartsWith("CUDNN_STATUS_NOT_INITIALIZED (1001): not initialized", CudnnStatus.Describe(1001));
        Assert.Equal("CUDNN_STATUS_NOT_SUPPORTED (3000): not supported", CudnnStatus.Describe(3000));
        Assert.Equal("CUDNN_STATUS_INTERNAL_ERROR_DEVICE_ALLOCATION_FAILED (4004): internal error, sub-code 4", CudnnStatus.Describe(4004));
        Assert.Equal("CUDNN_STATUS_EXECUTION_FAILED_CUBLAS (5002): execution failed, sub-code 2", CudnnStatus.Describe(5002));
        Assert.Equal("CUDNN_STATUS_SUBLIBRARY_LOADING_FAILED", CudnnStatus.Name(1008));
    }

    [Fact]
    public void Describe_handles_codes_of_a_newer_or_older_cuDNN()
    {
        Assert.Equal("unknown cudnnStatus_t (3099): not supported, sub-code 99", CudnnStatus.Describe(3099));
        Assert.Contains("not a cuDNN 9 status", CudnnStatus.Describe(3));
        Assert.Null(CudnnStatus.Name(3099));
    }

    [Fact]
    public void Exception_message_names_function_code_string_and_detail()
    {
        var e = new CudnnException("cudnnConvolutionForward", 2002, "CUDNN_STATUS_BAD_PARAM_NULL_POINTER", "x is null\n");
        Assert.Equal("cudnnConvolutionForward failed with status 2002: CUDNN_STATUS_BAD_PARAM_NULL_POINTER (2002); detail: x is null", e.Message);
        Assert.Equal(CudnnStatusCategory.BadParam, e.Category);
        Assert.Equal("cudnnConvolutionForward", e.Function);
    }

    [Fact]
    public void Exception_falls_back_to_Describe_without_a_library_string()
    {
        var e = new CudnnException("cudnnCreate", 1001, null, "");
        Assert.Equal("cudnnCreate failed with status 1001: " + CudnnStatus.Describe(1001), e.Message);
        Assert.DoesNotContain("detail", e.Message);
    }

    [Fact]
    public void Cublas_exception_names_function_number_and_status_name()
    {
        // cublasStatus_t of cublas_api.h (CUDA 12.6): CUBLAS_STATUS_INVALID_VALUE = 7, CUBLAS_STATUS_NOT_SUPPORTED = 15.
        Assert.Equal("CUBLAS_STATUS_INVALID_VALUE", Cublas.StatusName(7));
        Assert.Equal("CUBLAS_STATUS_NOT_SUPPORTED", Cublas.StatusName(15));
        var e = new CublasException("cublasSgemm_v2", 7, Cublas.StatusName(7), null);
        Assert.Equal("cublasSgemm_v2 failed with CUBLAS_STATUS_INVALID_VALUE (7)", e.Message);
    }
}
