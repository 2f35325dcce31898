using StaticGraph.Cuda.Kernels;
using StaticGraph.Cuda.Lowering;

namespace StaticGraph.Cuda.Ops;

/// <summary>
/// The per-channel sums of batch normalisation over <c>x [N, C, ...]</c>, in double whatever the element type (as the
/// CPU's <c>BatchNormSums</c>), without atomics: each (channel, chunk of <see cref="Chunk"/> elements) sums its chunk in
/// order into scratch (<c>sg_channel_partials_T</c>, <c>sg_channel_grad_partials_T</c>), then one thread per channel
/// adds its chunks in order (<c>sg_channel_combine_f64</c>). The moments follow the CPU's method per type: float32 data
/// in one pass shifted by the channel's first value, float64 data in two passes (the mean, then squared deviations).
/// The forward op writes the moments straight into its statistics outputs; the backward op reads them from there.
/// </summary>
internal static class ChannelStatistics
{
    /// <summary>Elements per partial sum.</summary>
    internal const long Chunk = 1024;

    // Where the partial kernel centres the data: at zero, at the channel's first value, or at the mean already written.
    private const int CentreZero = 0, CentreFirst = 1, CentreMean = 2;

    // What the stats kernel derives from the combined sums.
    private const int ShiftedMoments = 0, MeanOnly = 1, VarianceOnly = 2;

    /// <summary>
    /// Emits the launches that write each channel's batch mean and biased variance, as doubles <c>mean[c]</c> and
    /// <c>variance[c]</c>, at <paramref name="mean"/> and <paramref name="variance"/> (the forward op's statistics outputs).
    /// </summary>
    public static void Moments(LoweringContext ctx, Node x, KernelArg xArg, DeviceAddress mean, DeviceAddress variance)
    {
        var l = Layout.Of(x.Shape);
        var type = KernelTypes.Of(x.DType);
        var sums = ctx.Scratch(2 * l.Channels * sizeof(double));
        var partials = ctx.Scratch(2 * l.Channels * l.Chunks * sizeof(double));
        if (type == KernelType.F32)
        {
            Partials(ctx, type, l, xArg, mean, partials, CentreFirst);
            Combine(ctx, l, partials, sums);
            Stats(ctx, type, l, xArg, sums, mean, variance, ShiftedMoments);
        }
        else
        {
            Partials(ctx, type, l, xArg, mean, partials, CentreZero);
            Combine(ctx, l, partials, sums);
            Stats(ctx, type, l, xArg, sums, mean, variance, MeanOnly);
            Partials(ctx, type, l, xArg, mean, partials, CentreMean);
            Combine(ctx, l, partials, sums);
            Stats(ctx, type, l, xArg, sums, mean, variance, VarianceOnly);
        }
    }

    /// <summary>
    /// Emits the launches that write, per channel, <c>sum(dy)</c> and <c>sum(dy * (x - mean))</c> as doubles
    /// <c>sums[2c]</c> and <c>sums[2c + 1]</c> into scratch (the mean read from <paramref name="meanArg"/>, a double per
    /// channel), and returns it.
    /// </summary>
    public static DeviceAddress GradientSums(LoweringContext ctx, Node x, KernelArg xArg, KernelArg dyArg, KernelArg meanArg)
    {
        var l = Layout.Of(x.Shape);
        var type = KernelTypes.Of(x.DType);
        var sums = ctx.Scratch(2 * l.Channels * sizeof(double));
        var partials = ctx.Scratch(2 * l.Channels * l.Chunks * sizeof(double));
        ctx.Launch(GradPartialsKernel(type), l.Channels * l.Chunks, xArg, dyArg, meanArg, KernelArg.Pointer(partials),
            KernelArg.I64(l.Channels * l.Chunks), KernelArg.I64(l.Channels), KernelArg.I64(l.Chunks), KernelArg.I64(Chunk),
            KernelArg.I64(l.Plane), KernelArg.I64(l.PerChannel));
        Combine(ctx, l, partials, sums);
        return sums;
    }

    /// <summary>[N, C, rest...]: channel c of image n is the contiguous row of Plane elements at (n*C + c)*Plane.</summary>
    internal readonly record struct Layout(long Channels, long Plane, long PerChannel)
    {
        public static Layout Of(Shape x)
        {
            var plane = x.ElementCount / ((long)x[0] * x[1]);
            return new Layout(x[1], plane, x[0] * plane);
        }

        public long Chunks => Math.Max(1, (PerChannel + Chunk - 1) / Chunk);
    }

    /// <summary>The offset of element <c>m</c> (of <c>perChannel</c>) of channel <c>c</c>, as C code (needs <c>channels</c> and <c>plane</c>).</summary>
    private const string ElementOffset = "(m / plane * channels + c) * plane + m % plane";

    private static void Partials(LoweringContext ctx, KernelType type, Layout l, KernelArg x, DeviceAddress mean, DeviceAddress partials, int centre) =>
        ctx.Launch(PartialsKernel(type), l.Channels * l.Chunks, x, KernelArg.Pointer(mean), KernelArg.Pointer(partials),
            KernelArg.I64(l.Channels * l.Chunks), KernelArg.I64(l.Channels), KernelArg.I64(l.Chunks), KernelArg.I64(Chunk),
            KernelArg.I64(l.Plane), KernelArg.I64(l.PerChannel), KernelArg.I32(centre));

    private static void Combine(LoweringContext ctx, Layout l, DeviceAddress partials, DeviceAddress sums) =>
        ctx.Launch(CombineKernel, l.Channels, KernelArg.Pointer(partials), KernelArg.Pointer(sums), KernelArg.I64(l.Channels), KernelArg.I64(l.Chunks));

    private static void Stats(LoweringContext ctx, KernelType type, Layout l, KernelArg x, DeviceAddress sums, DeviceAddress mean, DeviceAddress variance,
        int stage) =>
        ctx.Launch(StatsKernel(type), l.Channels, x, KernelArg.Pointer(sums), KernelArg.Pointer(mean), KernelArg.Pointer(variance), KernelArg.I64(l.Channels),
            KernelArg.I64(l.Plane), KernelArg.I64(l.PerChannel), KernelArg.I32(stage));

    private static KernelParameter[] ChunkParameters =>
        [KernelTypes.Count, new("long long", "channels"), new("long long", "chunks"), new("long long", "chunk"), new("long long", "plane"), new("long long", "perChannel")];

    /// <summary>Thread (c, k): the sum of <c>x - centre</c> and of its square over chunk k of channel c.</summary>
    private static CudaKernelSource PartialsKernel(KernelType type)
    {
        var t = type.C();
        KernelParameter[] parameters =
        [
            new($"const {t}* __restrict__", "x"), new("const double* __restrict__", "mean"), new("double* __restrict__", "partials"),
            .. ChunkParameters, new("int", "centreAt"),
        ];
        var body = $$"""
                {{KernelTypes.IndexLoop}}
                {
                    const long long c = i / chunks;
                    const long long first = (i % chunks) * chunk;
                    const long long last = min(perChannel, first + chunk);
                    const double centre = centreAt == {{CentreZero}} ? 0.0 : centreAt == {{CentreFirst}} ? (double)x[c * plane] : mean[c];
                    double sum = 0, squares = 0;
                    for (long long m = first; m < last; ++m)
                    {
                        const double d = (double)x[{{ElementOffset}}] - centre;
                        sum += d;
                        squares += d * d;
                    }
                    partials[2 * i] = sum;
                    partials[2 * i + 1] = squares;
                }
            """;
        return CudaKernelSource.Create($"sg_channel_partials_{type.Suffix()}", parameters, body);
    }

    /// <summary>Thread (c, k): the sums of <c>dy</c> and of <c>dy * (x - mean)</c> over chunk k of channel c.</summary>
    private static CudaKernelSource GradPartialsKernel(KernelType type)
    {
        var t = type.C();
        KernelParameter[] parameters =
        [
            new($"const {t}* __restrict__", "x"), new($"const {t}* __restrict__", "dy"), new("const double* __restrict__", "mean"),
            new("double* __restrict__", "partials"), .. ChunkParameters,
        ];
        var body = $$"""
                {{KernelTypes.IndexLoop}}
                {
                    const long long c = i / chunks;
                    const long long first = (i % chunks) * chunk;
                    const long long last = min(perChannel, first + chunk);
                    const double centre = mean[c];
                    double sumDy = 0, sumDyCentred = 0;
                    for (long long m = first; m < last; ++m)
                    {
                        const long long o = {{ElementOffset}};
                        const double g = (double)dy[o];
                        sumDy += g;
                        sumDyCentred += g * ((double)x[o] - centre);
                    }
                    partials[2 * i] = sumDy;
                    partials[2 * i + 1] = sumDyCentred;
                }
            """;
        return CudaKernelSource.Create($"sg_channel_grad_partials_{type.Suffix()}", parameters, body);
    }

    /// <summary>Thread c: both partial sums of channel c added over its chunks in order.</summary>
    private static CudaKernelSource CombineKernel { get; } = CudaKernelSource.Create("sg_channel_combine_f64",
        [new("const double* __restrict__", "partials"), new("double* __restrict__", "sums"), KernelTypes.Count, new("long long", "chunks")],
        $$"""
                {{KernelTypes.IndexLoop}}
                {
                    double a = 0, b = 0;
                    for (long long k = 0; k < chunks; ++k)
                    {
                        a += partials[2 * (i * chunks + k)];
                        b += partials[2 * (i * chunks + k) + 1];
                    }
                    sums[2 * i] = a;
                    sums[2 * i + 1] = b;
                }
            """);

    /// <summary>
    /// Thread c: the moments from the combined sums. Stage 0 (float32): shifted one-pass mean and variance, clamped at 0
    /// (NaN kept, as <c>Math.Max</c>); stage 1: the mean of unshifted sums; stage 2: the variance from squared deviations.
    /// </summary>
    private static CudaKernelSource StatsKernel(KernelType type)
    {
        var t = type.C();
        KernelParameter[] parameters =
        [
            new($"const {t}* __restrict__", "x"), new("const double* __restrict__", "sums"), new("double* __restrict__", "mean"),
            new("double* __restrict__", "variance"), KernelTypes.Count, new("long long", "plane"), new("long long", "perChannel"), new("int", "stage"),
        ];
        var body = $$"""
                {{KernelTypes.IndexLoop}}
                {
                    const double count = (double)perChannel;
                    if (stage == {{ShiftedMoments}})
                    {
                        const double shiftedMean = sums[2 * i] / count;
                        const double shiftedVariance = sums[2 * i + 1] / count - shiftedMean * shiftedMean;
                        mean[i] = (double)x[i * plane] + shiftedMean;
                        variance[i] = shiftedVariance < 0 ? 0.0 : shiftedVariance;
                    }
                    else if (stage == {{MeanOnly}}) mean[i] = sums[2 * i] / count;
                    else variance[i] = sums[2 * i + 1] / count;
                }
            """;
        return CudaKernelSource.Create($"sg_channel_stats_{type.Suffix()}", parameters, body);
    }
}
