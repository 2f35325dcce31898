using System.Numerics;

namespace StaticGraph.Backend.Cpu.Kernels;

/// <summary>
/// How convolution kernels lay several images side by side in one column matrix: image i of a batch owns columns
/// <c>[i * OutPlaneSize, (i + 1) * OutPlaneSize)</c>, rows are <see cref="Stride"/> apart.
/// Small feature maps (7x7 = 49 pixels) would otherwise leave most of a 48-wide register tile empty and pay the
/// per-product overheads for little work; batching restores long rows. Depends only on the geometry, so a given image
/// range is always processed the same way.
/// </summary>
/// <param name="Images">Images per column matrix (the last batch of a range may hold fewer).</param>
/// <param name="Stride">Distance between column-matrix rows: whole cache lines, an odd number of them so that rows
/// walked top to bottom spread over all L1 sets instead of aliasing (as 4 KiB strides would).</param>
internal readonly record struct ColumnBatch(int Images, nint Stride)
{
    /// <summary>Columns aimed for by the matrix-product batches: eight 48-wide panels.</summary>
    public const int ProductColumns = 384;

    /// <summary>Columns aimed for by the dot-product (filter-gradient) batches: longer rows amortise the final reductions.</summary>
    public const int DotColumns = 768;

    /// <summary>Upper bound on one batch's column matrix, so it stays resident in a 2 MiB L2.</summary>
    public const long MaxColumnBytes = 1 << 20;

    /// <summary>The batch for matrix-product kernels (forward and input gradient).</summary>
    public static ColumnBatch ForProducts<T>(in ConvGeometry g)
        where T : unmanaged, IFloatingPointIeee754<T>
        => Create<T>(g, ImagesFor(g.OutPlaneSize, ProductColumns, g.Batch));

    /// <summary>The batch for the filter-gradient dot products, also bounded by the column matrix size.</summary>
    public static unsafe ColumnBatch ForDots<T>(in ConvGeometry g)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        long bytesPerImage = (long)g.PatchSize * g.OutPlaneSize * sizeof(T);
        int images = Math.Min(ImagesFor(g.OutPlaneSize, DotColumns, g.Batch), (int)Math.Max(1, MaxColumnBytes / bytesPerImage));
        return Create<T>(g, images);
    }

    private static int ImagesFor(int plane, int targetColumns, int batch)
        => Math.Clamp((targetColumns + plane - 1) / plane, 1, Math.Max(batch, 1));

    private static unsafe ColumnBatch Create<T>(in ConvGeometry g, int images)
        where T : unmanaged
    {
        int perLine = Math.Max(1, 64 / sizeof(T));
        long lines = ((long)images * g.OutPlaneSize + perLine - 1) / perLine;
        if (lines % 2 == 0) lines++;
        return new ColumnBatch(images, (nint)(lines * perLine));
    }
}
