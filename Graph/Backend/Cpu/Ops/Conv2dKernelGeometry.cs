using StaticGraph.Backend.Cpu.Kernels;

namespace StaticGraph.Backend.Cpu;

/// <summary>
/// Translates the sliding-window ops' attributes (convolution and, sharing <see cref="Conv2dWindow"/>,
/// pooling) into the numeric kernels' <see cref="ConvGeometry"/> and <see cref="PoolGeometry"/>,
/// and fixes how the work is split into tasks.
/// </summary>
internal static class Conv2dKernelGeometry
{
    /// <summary>
    /// Fewest images per task. Chunks are fixed by the geometry, never derived from the thread count, so that the
    /// filter gradient's per-chunk partial sums, and therefore its bits, are the same for any number of threads.
    /// </summary>
    public const int ImagesPerChunk = 4;

    /// <summary>
    /// Fewest output pixels per task: small planes (7x7) take more images per chunk, so that the per-chunk work
    /// (padding, compaction, the product's edge tiles) is spread over more of them; a 28x28 or 14x14 plane keeps 4.
    /// </summary>
    private const int PixelsPerChunk = 784;

    /// <summary>Images per task for the convolution <paramref name="g"/>: at least <see cref="ImagesPerChunk"/> and <see cref="PixelsPerChunk"/> output pixels.</summary>
    public static int ImagesPerChunkOf(in ConvGeometry g) => Math.Max(ImagesPerChunk, (PixelsPerChunk + g.OutPlaneSize - 1) / g.OutPlaneSize);

    /// <summary>The geometry of convolving an input of shape <paramref name="x"/> with a filter of shape <paramref name="w"/>.</summary>
    public static ConvGeometry Of(Shape x, Shape w, Conv2dWindow window, int groups)
    {
        var g = new ConvGeometry(
            Batch: x[0], InChannels: x[1], Height: x[2], Width: x[3],
            OutChannels: w[0], KernelH: w[2], KernelW: w[3],
            StrideH: window.Stride, StrideW: window.Stride,
            PadH: window.Padding, PadW: window.Padding,
            DilationH: window.Dilation, DilationW: window.Dilation,
            Groups: groups);
        g.Validate();
        return g;
    }

    /// <summary>Number of chunks of <paramref name="imagesPerChunk"/> images covering the batch.</summary>
    public static int Chunks(in ConvGeometry g, int imagesPerChunk = ImagesPerChunk) => (g.Batch + imagesPerChunk - 1) / imagesPerChunk;

    /// <summary>The image range [start, end) of chunk <paramref name="chunk"/>.</summary>
    public static (int Start, int End) ChunkRange(in ConvGeometry g, int chunk, int imagesPerChunk = ImagesPerChunk)
    {
        var start = chunk * imagesPerChunk;
        return (start, Math.Min(g.Batch, start + imagesPerChunk));
    }

    /// <summary>The geometry of pooling an input of shape <paramref name="x"/> with a square window of <paramref name="kernel"/>.</summary>
    public static PoolGeometry PoolOf(Shape x, int kernel, Conv2dWindow window)
    {
        var g = new PoolGeometry(
            Batch: x[0], Channels: x[1], Height: x[2], Width: x[3],
            KernelH: kernel, KernelW: kernel, StrideH: window.Stride, StrideW: window.Stride,
            PadH: window.Padding, PadW: window.Padding);
        g.Validate();
        return g;
    }

    /// <summary>
    /// Planes per pooling task: enough for about <c>16K</c> input elements, so small planes do not
    /// drown in scheduling. Planes are independent, so any split gives the same bits.
    /// </summary>
    public static int PlanesPerTask(in PoolGeometry g) => Math.Max(1, (1 << 14) / g.InPlaneSize);
}
