namespace StaticGraph.Tests.Nn;

/// <summary>
/// Straightforward float64 implementations of the NN ops, written from the definitions (loops over
/// every index, bounds checks instead of padding) to check the kernels against.
/// </summary>
internal static class NaiveReference
{
    /// <summary>Cross-correlation of x [N,C,H,W] with w [OC,C/groups,KH,KW].</summary>
    public static double[] Conv2d(double[] x, int[] xs, double[] w, int[] ws, int stride, int pad, int dilation, int groups)
    {
        var (n, c, h, wd) = (xs[0], xs[1], xs[2], xs[3]);
        var (oc, cg, kh, kw) = (ws[0], ws[1], ws[2], ws[3]);
        var oh = (h + 2 * pad - dilation * (kh - 1) - 1) / stride + 1;
        var ow = (wd + 2 * pad - dilation * (kw - 1) - 1) / stride + 1;
        var ocPerGroup = oc / groups;
        var y = new double[n * oc * oh * ow];
        // One output element per index, decomposed as (b, o, i, j) in row-major order.
        for (var index = 0; index < y.Length; index++)
        {
            var (j, i, o, b) = (index % ow, index / ow % oh, index / (ow * oh) % oc, index / (ow * oh * oc));
            var group = o / ocPerGroup;
            double sum = 0;
            for (var tap = 0; tap < cg * kh * kw; tap++)
            {
                var (q, p, ci) = (tap % kw, tap / kw % kh, tap / (kw * kh));
                var (r, s) = (i * stride - pad + p * dilation, j * stride - pad + q * dilation);
                if (r < 0 || r >= h || s < 0 || s >= wd) continue;
                sum += x[((b * c + group * cg + ci) * h + r) * wd + s] * w[((o * cg + ci) * kh + p) * kw + q];
            }
            y[index] = sum;
        }
        return y;
    }

    /// <summary>Max over each window's in-bounds elements.</summary>
    public static double[] MaxPool2d(double[] x, int[] xs, int kernel, int stride, int pad) =>
        Pool(x, xs, kernel, stride, pad, window => window.Max(), (_, _) => 1);

    /// <summary>Average with padding counted in the divisor (PyTorch's count_include_pad=True, ceil_mode=False).</summary>
    public static double[] AvgPool2d(double[] x, int[] xs, int kernel, int stride, int pad) =>
        Pool(x, xs, kernel, stride, pad, window => window.Sum(), (i, j) =>
        {
            // PyTorch clips the window to the padded input, [-pad, size + pad).
            int Extent(int start, int size) => Math.Min(start + kernel, size + pad) - start;
            return Extent(i * stride - pad, xs[2]) * Extent(j * stride - pad, xs[3]);
        });

    /// <summary>Batch normalisation with the given per-channel mean and variance.</summary>
    public static double[] BatchNorm(double[] x, int[] xs, double[] gamma, double[] beta, double[] mean, double[] variance, double eps)
    {
        var plane = xs.Skip(2).Aggregate(1, (a, d) => a * d);
        var y = new double[x.Length];
        for (var i = 0; i < x.Length; i++)
        {
            var c = i / plane % xs[1];
            y[i] = (x[i] - mean[c]) / Math.Sqrt(variance[c] + eps) * gamma[c] + beta[c];
        }
        return y;
    }

    /// <summary>Per-channel mean and variance over every axis but 1, divided by M - <paramref name="ddof"/>.</summary>
    public static (double[] Mean, double[] Variance) ChannelMoments(double[] x, int[] xs, int ddof)
    {
        var channels = xs[1];
        var plane = xs.Skip(2).Aggregate(1, (a, d) => a * d);
        var count = x.Length / channels;
        var (mean, variance) = (new double[channels], new double[channels]);
        for (var i = 0; i < x.Length; i++) mean[i / plane % channels] += x[i] / count;
        for (var i = 0; i < x.Length; i++)
        {
            var d = x[i] - mean[i / plane % channels];
            variance[i / plane % channels] += d * d;
        }
        for (var c = 0; c < channels; c++) variance[c] /= count - ddof;
        return (mean, variance);
    }

    private static double[] Pool(double[] x, int[] xs, int kernel, int stride, int pad, Func<List<double>, double> reduce, Func<int, int, int> divisor)
    {
        var (n, c, h, w) = (xs[0], xs[1], xs[2], xs[3]);
        var oh = (h + 2 * pad - kernel) / stride + 1;
        var ow = (w + 2 * pad - kernel) / stride + 1;
        var y = new double[n * c * oh * ow];
        var window = new List<double>();
        // One output element per index, decomposed as (plane, i, j) in row-major order.
        for (var index = 0; index < y.Length; index++)
        {
            var (j, i, plane) = (index % ow, index / ow % oh, index / (ow * oh));
            window.Clear();
            for (var tap = 0; tap < kernel * kernel; tap++)
            {
                var (r, s) = (i * stride - pad + tap / kernel, j * stride - pad + tap % kernel);
                if (r >= 0 && r < h && s >= 0 && s < w) window.Add(x[(plane * h + r) * w + s]);
            }
            y[index] = reduce(window) / divisor(i, j);
        }
        return y;
    }
}
