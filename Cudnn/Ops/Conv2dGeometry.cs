using StaticGraph.Cuda.Lowering;
using StaticGraph.Ops;

namespace StaticGraph.Cuda.Ops;

/// <summary>The cuDNN geometry shared by the three convolution lowerings, from the forward input and filter shapes.</summary>
internal static class Conv2dGeometry
{
    /// <summary>NCHW input <paramref name="x"/>, KCRS filter <paramref name="w"/> (C/groups channels), square window.</summary>
    public static ConvolutionGeometry Of(Shape x, Shape w, Conv2dWindow window, int groups)
    {
        var (outH, outW) = window.OutputExtents(x[2], x[3], w[2], w[3]);
        return new ConvolutionGeometry(
            N: x[0], C: x[1], H: x[2], W: x[3], K: w[0], R: w[2], S: w[3],
            PadH: window.Padding, PadW: window.Padding, StrideH: window.Stride, StrideW: window.Stride,
            DilationH: window.Dilation, DilationW: window.Dilation, Groups: groups, OutH: outH, OutW: outW);
    }
}
