namespace StaticGraph.Data;

/// <summary>
/// A labelled set of uint8 images stored NCHW in one array, with the per-channel mean and
/// standard deviation (on the 0..1 scale) that normalisation uses.
/// </summary>
public sealed class ImageDataset
{
    /// <summary>Wraps the given arrays (not copied) after checking that their sizes and labels agree.</summary>
    /// <param name="name">A name for logs, e.g. "Fashion-MNIST train".</param>
    /// <param name="pixels">Count x channels x height x width bytes, NCHW.</param>
    /// <param name="labels">One class index per image, each in [0, <paramref name="classCount"/>).</param>
    /// <param name="channels">Channels per image.</param>
    /// <param name="height">Rows per image.</param>
    /// <param name="width">Columns per image.</param>
    /// <param name="classCount">How many classes the labels range over.</param>
    /// <param name="mean">Per-channel mean of pixel/255 over the training set.</param>
    /// <param name="std">Per-channel standard deviation of pixel/255 over the training set.</param>
    public ImageDataset(
        string name, byte[] pixels, int[] labels, int channels, int height, int width, int classCount, float[] mean, float[] std)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(channels);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(classCount);
        if ((long)labels.Length * channels * height * width != pixels.Length)
            throw new ArgumentException($"{pixels.Length} pixels do not make {labels.Length} images of {channels}x{height}x{width}", nameof(pixels));
        if (mean.Length != channels || std.Length != channels)
            throw new ArgumentException($"mean and std need one value per channel ({channels})", nameof(mean));
        if (Array.Exists(std, s => !(s > 0)))
            throw new ArgumentException("every std must be positive", nameof(std));
        int bad = Array.FindIndex(labels, label => (uint)label >= (uint)classCount);
        if (bad >= 0)
            throw new ArgumentException($"label {labels[bad]} of image {bad} is outside 0..{classCount - 1}", nameof(labels));

        Name = name;
        Pixels = pixels;
        Labels = labels;
        Channels = channels;
        Height = height;
        Width = width;
        ClassCount = classCount;
        Mean = mean;
        Std = std;
    }

    /// <summary>A name for logs, e.g. "Fashion-MNIST train".</summary>
    public string Name { get; }

    /// <summary>All images, NCHW, one byte per pixel.</summary>
    public byte[] Pixels { get; }

    /// <summary>The class index of each image.</summary>
    public int[] Labels { get; }

    /// <summary>Number of images.</summary>
    public int Count => Labels.Length;

    /// <summary>Channels per image.</summary>
    public int Channels { get; }

    /// <summary>Rows per image.</summary>
    public int Height { get; }

    /// <summary>Columns per image.</summary>
    public int Width { get; }

    /// <summary>How many classes the labels range over.</summary>
    public int ClassCount { get; }

    /// <summary>Per-channel mean of pixel/255, used by normalisation.</summary>
    public float[] Mean { get; }

    /// <summary>Per-channel standard deviation of pixel/255, used by normalisation.</summary>
    public float[] Std { get; }

    /// <summary>Bytes (and floats, once assembled) per image: channels x height x width.</summary>
    public int ImageSize => Channels * Height * Width;

    /// <summary>The pixels of image <paramref name="index"/>, CHW.</summary>
    public ReadOnlySpan<byte> Image(int index)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)index, (uint)Count, nameof(index));
        return Pixels.AsSpan(index * ImageSize, ImageSize);
    }

    /// <summary>
    /// The first <paramref name="count"/> images (for a training-set limit). Asking for the whole
    /// set or more returns this instance; a smaller count copies.
    /// </summary>
    public ImageDataset Take(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (count >= Count)
            return this;
        return new ImageDataset(
            $"{Name} (first {count})",
            Pixels.AsSpan(0, count * ImageSize).ToArray(),
            Labels.AsSpan(0, count).ToArray(),
            Channels, Height, Width, ClassCount, Mean, Std);
    }
}
