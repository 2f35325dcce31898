using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using StaticGraph.Cuda.Native;
using Xunit;

namespace StaticGraph.Tests.Cuda;

/// <summary>Struct layouts and enum values of the cuDNN / cuBLAS / driver bindings against the public headers (no library needed).</summary>
public class NativeLayoutTests
{
    // cudnn_cnn.h (cuDNN 9.6): { algo; status; float time; size_t memory; determinism; mathType; int reserved[3]; } -> 48 bytes on x64.
    [Theory]
    [InlineData(typeof(CudnnConvolutionFwdAlgoPerf))]
    [InlineData(typeof(CudnnConvolutionBwdDataAlgoPerf))]
    [InlineData(typeof(CudnnConvolutionBwdFilterAlgoPerf))]
    public void Perf_structs_have_the_header_layout(Type type)
    {
        Assert.Equal(48, Marshal.SizeOf(type));
        Assert.Equal(0, (int)Marshal.OffsetOf(type, "Algo"));
        Assert.Equal(4, (int)Marshal.OffsetOf(type, "Status"));
        Assert.Equal(8, (int)Marshal.OffsetOf(type, "Time"));
        Assert.Equal(16, (int)Marshal.OffsetOf(type, "Memory"));
        Assert.Equal(24, (int)Marshal.OffsetOf(type, "Determinism"));
        Assert.Equal(28, (int)Marshal.OffsetOf(type, "MathType"));
        Assert.Equal(32, (int)Marshal.OffsetOf(type, "Reserved"));
    }

    [Fact]
    public unsafe void Perf_structs_are_48_bytes_in_managed_memory_too()
    {
        // LibraryImport passes a pointer to the managed array: the managed layout is the one cuDNN writes into.
        Assert.Equal(48, Unsafe.SizeOf<CudnnConvolutionFwdAlgoPerf>());
        Assert.Equal(48, sizeof(CudnnConvolutionBwdDataAlgoPerf));
        Assert.Equal(48, sizeof(CudnnConvolutionBwdFilterAlgoPerf));
        var perf = new CudnnConvolutionBwdFilterAlgoPerf();
        var start = (byte*)&perf;
        Assert.Equal(16, (byte*)&perf.Memory - start);
        Assert.Equal(8, (byte*)&perf.Time - start);
        Assert.Equal(28, (byte*)&perf.MathType - start);
    }

    [Fact]
    public void Perf_struct_converts_to_the_kind_independent_view()
    {
        var perf = new CudnnConvolutionBwdDataAlgoPerf
        {
            Algo = CudnnConvolutionBwdDataAlgo.WinogradNonfused,
            Status = 3000,
            Time = 1.5f,
            Memory = 4096,
            Determinism = CudnnDeterminism.Deterministic,
            MathType = CudnnMathType.TensorOp,
        };
        Assert.Equal(new ConvolutionAlgoPerf(5, 3000, 1.5f, 4096, CudnnDeterminism.Deterministic, CudnnMathType.TensorOp), perf.ToPerf());
        Assert.Equal(long.MaxValue, ConvolutionAlgoPerf.ClampBytes(nuint.MaxValue));
    }

    [Fact]
    public void Scalar_points_at_float_or_double_by_data_type()
    {
        var scalar = new CudnnScalar(0.1);
        Assert.Equal(0.1, scalar.Double);
        Assert.Equal(0.1f, scalar.Single);
        unsafe
        {
            Assert.True(Cudnn.ScalingPointer(&scalar, CudnnDataType.Double) == &scalar.Double);
            foreach (var type in new[] { CudnnDataType.Float, CudnnDataType.Half, CudnnDataType.BFloat16, CudnnDataType.Int8 })
                Assert.True(Cudnn.ScalingPointer(&scalar, type) == &scalar.Single);
        }
    }

    [Fact]
    public void Cudnn_enum_values_match_the_cuDNN_9_headers()
    {
        // cudnn_graph.h: cudnnDataType_t, cudnnMathType_t, cudnnTensorFormat_t, cudnnConvolutionMode_t, cudnnReduceTensorOp_t, cudnnActivationMode_t.
        Assert.Equal(0, (int)CudnnDataType.Float);
        Assert.Equal(1, (int)CudnnDataType.Double);
        Assert.Equal(2, (int)CudnnDataType.Half);
        Assert.Equal(9, (int)CudnnDataType.BFloat16);
        Assert.Equal(10, (int)CudnnDataType.Int64);
        Assert.Equal(3, (int)CudnnMathType.Fma);
        Assert.Equal(1, (int)CudnnMathType.TensorOp);
        Assert.Equal(1, (int)CudnnTensorFormat.Nhwc);
        Assert.Equal(1, (int)CudnnConvolutionMode.CrossCorrelation);
        // cudnn_ops.h: determinism and the convolution algorithms.
        Assert.Equal(1, (int)CudnnDeterminism.Deterministic);
        Assert.Equal(1, (int)CudnnConvolutionFwdAlgo.ImplicitPrecompGemm);
        Assert.Equal(7, (int)CudnnConvolutionFwdAlgo.WinogradNonfused);
        Assert.Equal(8, (int)CudnnConvolutionFwdAlgo.Count);
        Assert.Equal(3, (int)CudnnConvolutionBwdDataAlgo.FftTiling);
        Assert.Equal(6, (int)CudnnConvolutionBwdDataAlgo.Count);
        Assert.Equal(3, (int)CudnnConvolutionBwdFilterAlgo.Algo3);
        Assert.Equal(6, (int)CudnnConvolutionBwdFilterAlgo.FftTiling);
        Assert.Equal(7, (int)CudnnConvolutionBwdFilterAlgo.Count);
    }

    [Fact]
    public void Cublas_and_cuda_enum_values_match_the_CUDA_12_headers()
    {
        // cublas_api.h (CUDA 12.6): cublasComputeType_t, cublasMath_t, cublasOperation_t, cublasGemmAlgo_t.
        Assert.Equal(68, (int)CublasComputeType.Compute32F);
        Assert.Equal(77, (int)CublasComputeType.Compute32FFastTf32);
        Assert.Equal(75, (int)CublasComputeType.Compute32FFast16BF);
        Assert.Equal(70, (int)CublasComputeType.Compute64F);
        Assert.Equal(2, (int)CublasMath.Pedantic);
        Assert.Equal(3, (int)CublasMath.Tf32TensorOp);
        Assert.Equal(16, (int)CublasMath.DisallowReducedPrecisionReduction);
        Assert.Equal(1, (int)CublasOperation.Transpose);
        Assert.Equal(-1, (int)CublasGemmAlgo.Default);
        // library_types.h: cudaDataType_t.
        Assert.Equal(0, (int)CudaDataType.R32F);
        Assert.Equal(1, (int)CudaDataType.R64F);
        Assert.Equal(2, (int)CudaDataType.R16F);
        Assert.Equal(14, (int)CudaDataType.R16BF);
        // cuda.h: CUdevice_attribute, CUstreamCaptureMode, CUevent_flags.
        Assert.Equal(75, (int)CudaDeviceAttribute.ComputeCapabilityMajor);
        Assert.Equal(76, (int)CudaDeviceAttribute.ComputeCapabilityMinor);
        Assert.Equal(16, (int)CudaDeviceAttribute.MultiprocessorCount);
        Assert.Equal(0, (int)CudaStreamCaptureMode.Global);
        Assert.Equal(1, (int)CudaStreamCaptureMode.ThreadLocal);
        Assert.Equal(2, (int)CudaStreamCaptureMode.Relaxed);
    }

    [Fact]
    public void Packed_strides_are_row_major()
    {
        Assert.Equal([60, 20, 5, 1], CudnnTensorDescriptor.PackedStrides([2, 3, 4, 5]));
        Assert.Equal([1], CudnnTensorDescriptor.PackedStrides([7]));
    }
}
