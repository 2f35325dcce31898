using StaticGraph.Cuda.Native;
using Xunit;

namespace StaticGraph.Tests.Cuda;

/// <summary>cuDNN and cuBLAS calls on a device against hand-computed results; skipped (never passed) without a GPU and the libraries.</summary>
public class CudnnCublasDeviceTests
{
    private static string? Unavailable(string? library) => CudaTestEnvironment.NoDevice() ?? library;

    [Fact]
    public void Cudnn_reports_version_9()
    {
        if (CudaTestEnvironment.CudnnMissing is { } why) Assert.Skip(why);
        Assert.Equal(9, Cudnn.Version().Major);
    }

    [Fact]
    public void Convolution_forward_with_the_chosen_algorithm_matches_a_hand_computed_result()
    {
        if (Unavailable(CudaTestEnvironment.CudnnMissing) is { } why) Assert.Skip(why);
        using var context = CudaContext.RetainPrimary(CudaDriver.Device(0));
        using var stream = CudaStream.Create();
        using var cudnn = CudnnHandle.Create();
        cudnn.SetStream(stream);
        // x: 1x1x3x3 = 1..9; w: 1x1x2x2 = [1 0; 0 -1]; no padding, stride 1: y[i,j] = x[i,j] - x[i+1,j+1] = -4 everywhere.
        using var xDesc = CudnnTensorDescriptor.Create4d(CudnnDataType.Float, 1, 1, 3, 3);
        using var wDesc = CudnnFilterDescriptor.Create4d(CudnnDataType.Float, 1, 1, 2, 2);
        using var conv = CudnnConvolutionDescriptor.Create2d(0, 0, 1, 1, 1, 1, CudnnDataType.Float, mathType: CudnnMathType.Fma);
        Assert.Equal((1, 1, 2, 2), conv.ForwardOutputShape(xDesc, wDesc));
        using var yDesc = CudnnTensorDescriptor.Create4d(CudnnDataType.Float, 1, 1, 2, 2);
        using var x = DeviceBuffer.Allocate(9 * sizeof(float));
        using var w = DeviceBuffer.Allocate(4 * sizeof(float));
        using var y = DeviceBuffer.Allocate(4 * sizeof(float));
        x.CopyFromHost<float>([1, 2, 3, 4, 5, 6, 7, 8, 9]);
        w.CopyFromHost<float>([1, 0, 0, -1]);
        const long limit = 1 << 20;
        using var workspace = DeviceBuffer.Allocate(limit);
        var perfs = CudnnConvolution.FindForward(cudnn, xDesc, x.Pointer, wDesc, w.Pointer, conv, yDesc, y.Pointer, workspace.Pointer, limit);
        var chosen = ConvolutionAlgorithms.Choose(ConvolutionDirection.Forward, perfs, deterministic: true, limit);
        conv.SetMathType(chosen.MathType);
        Assert.True(CudnnConvolution.ForwardWorkspaceSize(cudnn, xDesc, wDesc, conv, yDesc, (CudnnConvolutionFwdAlgo)chosen.Algo) <= limit);
        CudnnConvolution.Forward(cudnn, 1, xDesc, x.Pointer, wDesc, w.Pointer, conv, (CudnnConvolutionFwdAlgo)chosen.Algo, workspace.Pointer, limit, 0,
            yDesc, y.Pointer);
        stream.Synchronize();
        var result = new float[4];
        y.CopyToHost<float>(result);
        Assert.Equal([-4f, -4f, -4f, -4f], result);
    }

    [Fact]
    public void A_bad_parameter_gives_CudnnException_with_the_status_and_detail()
    {
        if (Unavailable(CudaTestEnvironment.CudnnMissing) is { } why) Assert.Skip(why);
        using var context = CudaContext.RetainPrimary(CudaDriver.Device(0));
        var e = Assert.Throws<CudnnException>(() => CudnnTensorDescriptor.Create4d(CudnnDataType.Float, -1, 1, 1, 1));
        Assert.Equal("cudnnSetTensor4dDescriptor", e.Function);
        Assert.Equal(CudnnStatusCategory.BadParam, e.Category);
        Assert.Contains("cudnnSetTensor4dDescriptor failed with status 2", e.Message);
    }

    [Fact]
    public void Row_major_product_through_column_major_Sgemm()
    {
        if (Unavailable(CudaTestEnvironment.CublasMissing) is { } why) Assert.Skip(why);
        using var context = CudaContext.RetainPrimary(CudaDriver.Device(0));
        using var stream = CudaStream.Create();
        using var cublas = CublasHandle.Create();
        cublas.SetStream(stream);
        cublas.SetMathMode(CublasMath.Pedantic);
        Assert.InRange(cublas.Version(), 120000, 139999);
        // Row-major A (2x3) · B (3x2) = C (2x2), computed as column-major Cᵀ = Bᵀ·Aᵀ.
        using var a = DeviceBuffer.Allocate(6 * sizeof(float));
        using var b = DeviceBuffer.Allocate(6 * sizeof(float));
        using var c = DeviceBuffer.Allocate(4 * sizeof(float));
        a.CopyFromHost<float>([1, 2, 3, 4, 5, 6]);
        b.CopyFromHost<float>([7, 8, 9, 10, 11, 12]);
        const int m = 2, n = 2, k = 3;
        cublas.Sgemm(CublasOperation.None, CublasOperation.None, n, m, k, 1, b.Pointer, n, a.Pointer, k, 0, c.Pointer, n);
        stream.Synchronize();
        var result = new float[4];
        c.CopyToHost<float>(result);
        Assert.Equal([58f, 64f, 139f, 154f], result);

        cublas.GemmEx(CublasOperation.None, CublasOperation.None, n, m, k, 1, b.Pointer, CudaDataType.R32F, n, a.Pointer, CudaDataType.R32F, k, 0,
            c.Pointer, CudaDataType.R32F, n, CublasComputeType.Compute32F);
        stream.Synchronize();
        c.CopyToHost<float>(result);
        Assert.Equal([58f, 64f, 139f, 154f], result);
    }
}
