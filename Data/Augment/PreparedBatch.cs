namespace StaticGraph.Data;

/// <summary>
/// One batch delivered by <see cref="PrefetchingLoader"/>: float32 NCHW images and their labels, held in
/// a buffer the loader reuses. Valid until the next <see cref="PrefetchingLoader.MoveNext"/> or dispose.
/// </summary>
public sealed class PreparedBatch
{
    private readonly int _imageSize;

    internal PreparedBatch(int capacity, int imageSize)
    {
        _imageSize = imageSize;
        ImageBuffer = new float[(long)capacity * imageSize];
        LabelBuffer = new int[capacity];
    }

    /// <summary>The epoch the batch belongs to.</summary>
    public int Epoch { get; internal set; }

    /// <summary>Position of the batch in its epoch.</summary>
    public int Index { get; internal set; }

    /// <summary>Run-wide batch id (epoch x batches per epoch + index), which seeded its augmentation.</summary>
    public long Id { get; internal set; }

    /// <summary>Images in the batch (the last of an epoch may be short when partial batches are kept).</summary>
    public int Size { get; internal set; }

    /// <summary>The whole reusable image buffer; its first <see cref="Size"/> x C x H x W entries are this batch.</summary>
    public float[] ImageBuffer { get; }

    /// <summary>The whole reusable label buffer; its first <see cref="Size"/> entries are this batch.</summary>
    public int[] LabelBuffer { get; }

    /// <summary>The batch's images, NCHW, exactly as <see cref="BatchAssembler.Assemble"/> writes them.</summary>
    public ReadOnlySpan<float> Images => ImageBuffer.AsSpan(0, Size * _imageSize);

    /// <summary>The batch's labels.</summary>
    public ReadOnlySpan<int> Labels => LabelBuffer.AsSpan(0, Size);
}
