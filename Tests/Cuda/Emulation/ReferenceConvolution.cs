using StaticGraph.Cuda.Lowering;
using StaticGraph.Cuda.Native;

namespace StaticGraph.Tests.Cuda.Emulation;

/// <summary>
/// cuDNN's three convolution calls by their definitions (NCHW input, KCRS filter with C/groups channels, cross-correlation,
/// alpha 1 and beta 0), written as the forward sum read three ways. The tensors have the command's dtype, 16-bit in mixed
/// precision (loaded exactly, the sum rounded to f32 and then to 16 bits like cuDNN's float-compute configurations).
/// </summary>
internal static unsafe class ReferenceConvolution
{
    public static void Run(ConvolutionCommand c, byte* x, byte* w, byte* y)
    {
        var g = c.Geometry;
        var t = c.DType;
        var cg = g.C / g.Groups;
        var kg = g.K / g.Groups;
        var (xs, ws, ys) = (new long[] { g.C * g.H * g.W, g.H * g.W, g.W }, new long[] { cg * g.R * g.S, g.R * g.S, g.S }, new long[] { g.K * g.OutH * g.OutW, g.OutH * g.OutW, g.OutW });
        var (xLength, wLength, yLength) = ((long)g.N * g.C * g.H * g.W, (long)g.K * cg * g.R * g.S, (long)g.N * g.K * g.OutH * g.OutW);
        // The two operands loaded once as doubles (exactly: every dtype here widens exactly), the sum kept in double and
        // taken in the same order for every direction: n, k, oh, ow, then ci, r, s.
        var (a, b, outputLength) = c.Direction switch
        {
            ConvolutionDirection.Forward => (Load(t, x, xLength), Load(t, w, wLength), yLength),
            ConvolutionDirection.BackwardData => (Load(t, y, yLength), Load(t, w, wLength), xLength),
            _ => (Load(t, x, xLength), Load(t, y, yLength), wLength),
        };
        var target = c.Direction switch { ConvolutionDirection.Forward => y, ConvolutionDirection.BackwardData => x, _ => w };
        var acc = new double[outputLength];
        var direction = c.Direction;
        for (var n = 0; n < g.N; n++)
            for (var k = 0; k < g.K; k++)
                for (var oh = 0; oh < g.OutH; oh++)
                    for (var ow = 0; ow < g.OutW; ow++)
                    {
                        var yi = n * ys[0] + k * ys[1] + oh * ys[2] + ow;
                        var group = k / kg;
                        for (var ci = 0; ci < cg; ci++)
                            for (var r = 0; r < g.R; r++)
                            {
                                var ih = oh * g.StrideH - g.PadH + r * g.DilationH;
                                if (ih < 0 || ih >= g.H) continue;
                                for (var s = 0; s < g.S; s++)
                                {
                                    var iw = ow * g.StrideW - g.PadW + s * g.DilationW;
                                    if (iw < 0 || iw >= g.W) continue;
                                    var xi = n * xs[0] + (group * cg + ci) * xs[1] + ih * xs[2] + iw;
                                    var wi = k * ws[0] + ci * ws[1] + r * ws[2] + s;
                                    switch (direction)
                                    {
                                        case ConvolutionDirection.Forward: acc[yi] += a[xi] * b[wi]; break;
                                        case ConvolutionDirection.BackwardData: acc[xi] += a[yi] * b[wi]; break;
                                        default: acc[wi] += a[xi] * b[yi]; break;
                                    }
                                }
                            }
                    }
        for (long i = 0; i < outputLength; i++) ReferenceGemm.Store(t, target, i, acc[i]);
    }

    private static double[] Load(DType t, byte* p, long length)
    {
        var values = new double[length];
        for (long i = 0; i < length; i++) values[i] = ReferenceGemm.Load(t, p, i);
        return values;
    }
}
