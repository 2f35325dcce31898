namespace StaticGraph.Backend;

/// <summary>
/// A data set of 8-bit images as a backend may keep it near its compute: the bytes (N × C × H × W, row-major), one label
/// per image, and per channel what each byte value becomes as a float (C × 256 values, normalisation included), so that a
/// batch assembled anywhere has the same bits as one assembled on the host.
/// </summary>
/// <param name="Pixels">Every image's bytes, image after image.</param>
/// <param name="Labels">One class index per image.</param>
/// <param name="Channels">Channels per image.</param>
/// <param name="Height">Rows per image.</param>
/// <param name="Width">Columns per image.</param>
/// <param name="ConversionTables">C × 256 floats: byte value v of channel c becomes <c>ConversionTables[c * 256 + v]</c>.</param>
public sealed record ImageSet(ReadOnlyMemory<byte> Pixels, ReadOnlyMemory<int> Labels, int Channels, int Height, int Width, ReadOnlyMemory<float> ConversionTables)
{
    /// <summary>Images held.</summary>
    public int Count => Labels.Length;

    /// <summary>Throws when the sizes disagree, naming them.</summary>
    public void Validate()
    {
        if (Channels <= 0 || Height <= 0 || Width <= 0) throw new ArgumentException($"images of {Channels}x{Height}x{Width} have no pixels");
        if (Pixels.Length != (long)Count * Channels * Height * Width)
            throw new ArgumentException($"{Count} images of {Channels}x{Height}x{Width} need {(long)Count * Channels * Height * Width} bytes, got {Pixels.Length}");
        if (ConversionTables.Length != Channels * 256)
            throw new ArgumentException($"expected {Channels} conversion tables of 256 values, got {ConversionTables.Length} values");
    }
}

/// <summary>
/// The layout of a batch plan, the few ints per image that describe a batch of an <see cref="ImageSet"/> (which image,
/// how it is cropped and flipped): what crosses from the host to wherever the images are kept.
/// </summary>
public static class ImageBatchPlan
{
    /// <summary>Ints per image: data-set index, vertical shift, horizontal shift, flip (0 or 1).</summary>
    public const int Stride = 4;
}

/// <summary>
/// Writes batches of an <see cref="ImageSet"/> into a program's image (and label) inputs, given batch plans
/// (<see cref="ImageBatchPlan"/>). A backend that keeps images near its compute makes one (<see cref="IBackend.CreateImageSource"/>)
/// so that only the plan crosses per step; otherwise the caller assembles batches on the host and feeds them.
/// </summary>
public interface IImageBatchSource : IDisposable
{
    /// <summary>
    /// Writes the batch <paramref name="plan"/> describes into <paramref name="target"/>'s inputs <paramref name="imageInput"/>
    /// (f32 [N, C, H, W]) and <paramref name="labelInput"/> (i32 [N]; null for a program without labels), so that its next
    /// run sees it.
    /// </summary>
    void Assemble(IExecutable target, string imageInput, string? labelInput, ReadOnlySpan<int> plan);
}
