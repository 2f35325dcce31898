using StaticGraph.Backend.Cpu.Kernels;

namespace StaticGraph.Tests.Kernels;

/// <summary>Direct, loop-for-loop definitions of convolution and its gradients, in double precision.</summary>
internal static class ConvReference
{
    public static double[] Forward(ConvGeometry g, double[] x, double[] w)
    {
        var y = new double[g.OutputSize];
        int cg = g.InChannelsPerGroup, og = g.OutChannelsPerGroup;
        for (int n = 0; n < g.Batch; n++)
            for (int o = 0; o < g.OutChannels; o++)
                for (int oh = 0; oh < g.OutHeight; oh++)
                    for (int ow = 0; ow < g.OutWidth; ow++)
                    {
                        double sum = 0;
                        int group = o / og;
                        for (int c = 0; c < cg; c++)
                            for (int kh = 0; kh < g.KernelH; kh++)
                                for (int kw = 0; kw < g.KernelW; kw++)
                                {
                                    int ih = oh * g.StrideH - g.PadH + kh * g.DilationH;
                                    int iw = ow * g.StrideW - g.PadW + kw * g.DilationW;
                                    if (ih < 0 || ih >= g.Height || iw < 0 || iw >= g.Width) continue;
                                    sum += x[InputIndex(g, n, group * cg + c, ih, iw)] * w[WeightIndex(g, o, c, kh, kw)];
                                }

                        y[OutputIndex(g, n, o, oh, ow)] = sum;
                    }

        return y;
    }

    public static double[] BackwardData(ConvGeometry g, double[] dy, double[] w)
    {
        var dx = new double[g.InputSize];
        Visit(g, (n, o, oh, ow, c, kh, kw, ih, iw) =>
            dx[InputIndex(g, n, c, ih, iw)] += dy[OutputIndex(g, n, o, oh, ow)] * w[WeightIndex(g, o, c % g.InChannelsPerGroup, kh, kw)]);
        return dx;
    }

    public static double[] BackwardFilter(ConvGeometry g, double[] x, double[] dy, int imageStart, int imageEnd)
    {
        var dw = new double[g.WeightSize];
        Visit(g, (n, o, oh, ow, c, kh, kw, ih, iw) =>
        {
            if (n >= imageStart && n < imageEnd)
                dw[WeightIndex(g, o, c % g.InChannelsPerGroup, kh, kw)] += dy[OutputIndex(g, n, o, oh, ow)] * x[InputIndex(g, n, c, ih, iw)];
        });
        return dw;
    }

    /// <summary>Calls <paramref name="visit"/> for every (output value, filter tap) pair that meets a real input pixel.</summary>
    private static void Visit(ConvGeometry g, Action<int, int, int, int, int, int, int, int, int> visit)
    {
        int cg = g.InChannelsPerGroup, og = g.OutChannelsPerGroup;
        for (int n = 0; n < g.Batch; n++)
            for (int o = 0; o < g.OutChannels; o++)
                for (int oh = 0; oh < g.OutHeight; oh++)
                    for (int ow = 0; ow < g.OutWidth; ow++)
                        for (int c = 0; c < cg; c++)
                            for (int kh = 0; kh < g.KernelH; kh++)
                                for (int kw = 0; kw < g.KernelW; kw++)
                                {
                                    int ih = oh * g.StrideH - g.PadH + kh * g.DilationH;
                                    int iw = ow * g.StrideW - g.PadW + kw * g.DilationW;
                                    if (ih < 0 || ih >= g.Height || iw < 0 || iw >= g.Width) continue;
                                    visit(n, o, oh, ow, (o / og) * cg + c, kh, kw, ih, iw);
                                }
    }

    public static int InputIndex(ConvGeometry g, int n, int c, int h, int w) => ((n * g.InChannels + c) * g.Height + h) * g.Width + w;

    public static int OutputIndex(ConvGeometry g, int n, int o, int h, int w) => ((n * g.OutChannels + o) * g.OutHeight + h) * g.OutWidth + w;

    public static int WeightIndex(ConvGeometry g, int o, int c, int kh, int kw) => ((o * g.InChannelsPerGroup + c) * g.KernelH + kh) * g.KernelW + kw;
}
