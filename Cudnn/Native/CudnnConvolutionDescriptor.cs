using System.Runtime.InteropServices;

namespace StaticGraph.Cuda.Native;

/// <summary>A cuDNN 2-D convolution descriptor (<c>cudnnConvolutionDescriptor_t</c>); released with <c>cudnnDestroyConvolutionDescriptor</c>.</summary>
internal sealed class CudnnConvolutionDescriptor : SafeHandle
{
    private CudnnConvolutionDescriptor() : base(0, true) { }

    /// <inheritdoc/>
    public override bool IsInvalid => handle == 0;

    /// <summary>
    /// A 2-D cross-correlation (what frameworks call convolution) with the given padding, stride, dilation, group count and
    /// accumulation type (<c>cudnnSetConvolution2dDescriptor</c>, <c>cudnnSetConvolutionGroupCount</c>,
    /// <c>cudnnSetConvolutionMathType</c>). <paramref name="computeType"/> is float for float and half data, double for double.
    /// </summary>
    public static CudnnConvolutionDescriptor Create2d(int padH, int padW, int strideH, int strideW, int dilationH, int dilationW,
        CudnnDataType computeType, int groups = 1, CudnnMathType mathType = CudnnMathType.Default)
    {
        Cudnn.Check(CudnnNative.cudnnCreateConvolutionDescriptor(out var raw), "cudnnCreateConvolutionDescriptor");
        var created = new CudnnConvolutionDescriptor();
        created.SetHandle(raw);
        try
        {
            Cudnn.Check(CudnnNative.cudnnSetConvolution2dDescriptor(raw, padH, padW, strideH, strideW, dilationH, dilationW,
                CudnnConvolutionMode.CrossCorrelation, computeType), "cudnnSetConvolution2dDescriptor");
            if (groups != 1) Cudnn.Check(CudnnNative.cudnnSetConvolutionGroupCount(raw, groups), "cudnnSetConvolutionGroupCount");
            created.SetMathType(mathType);
        }
        catch
        {
            created.Dispose();
            throw;
        }
        return created;
    }

    /// <summary>
    /// Sets the math type (<c>cudnnSetConvolutionMathType</c>). Set it to the <see cref="ConvolutionAlgoPerf.MathType"/> of the
    /// chosen algorithm before running it: tensor cores need <see cref="CudnnMathType.TensorOp"/>, FP32 without TF32 uses
    /// <see cref="CudnnMathType.Fma"/>.
    /// </summary>
    public void SetMathType(CudnnMathType mathType) =>
        Cudnn.Check(CudnnNative.cudnnSetConvolutionMathType(DangerousGetHandle(), mathType), "cudnnSetConvolutionMathType");

    /// <summary>The NCHW output shape for input <paramref name="x"/> and filter <paramref name="w"/> (<c>cudnnGetConvolution2dForwardOutputDim</c>).</summary>
    public (int N, int C, int H, int W) ForwardOutputShape(CudnnTensorDescriptor x, CudnnFilterDescriptor w)
    {
        Cudnn.Check(CudnnNative.cudnnGetConvolution2dForwardOutputDim(DangerousGetHandle(), x.DangerousGetHandle(), w.DangerousGetHandle(),
            out var n, out var c, out var h, out var width), "cudnnGetConvolution2dForwardOutputDim");
        return (n, c, h, width);
    }

    /// <inheritdoc/>
    protected override bool ReleaseHandle() => CudnnNative.cudnnDestroyConvolutionDescriptor(handle) == 0;
}
