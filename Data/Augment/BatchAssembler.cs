namespace StaticGraph.Data;

/// <summary>
/// Builds one float32 NCHW batch from uint8 images, applying torchvision's order of operations:
/// pad with raw zeros, crop, flip, then normalise (so padding becomes (0 - mean)/std).
/// The output depends only on its arguments, and nothing is allocated.
/// </summary>
public static class BatchAssembler
{
    /// <summary>Writes the images named by <paramref name="indices"/> into <paramref name="images"/> and their labels into <paramref name="labels"/>.</summary>
    /// <param name="dataset">Where the images come from.</param>
    /// <param name="indices">Dataset indices of the batch's images, in batch order.</param>
    /// <param name="options">Which augmentations and whether to normalise.</param>
    /// <param name="seed">The run's seed.</param>
    /// <param name="batchId">Identifies the batch within the run (unique across epochs, e.g. epoch x batches per epoch + batch).</param>
    /// <param name="images">Destination of exactly indices.Length x C x H x W floats.</param>
    /// <param name="labels">Destination of exactly indices.Length labels.</param>
    public static void Assemble(
        ImageDataset dataset,
        ReadOnlySpan<int> indices,
        AugmentOptions options,
        ulong seed,
        long batchId,
        Span<float> images,
        Span<int> labels)
    {
        int imageSize = dataset.ImageSize;
        if (images.Length != (long)indices.Length * imageSize)
            throw new ArgumentException($"need {indices.Length} x {imageSize} floats, got {images.Length}", nameof(images));
        if (labels.Length != indices.Length)
            throw new ArgumentException($"need {indices.Length} labels, got {labels.Length}", nameof(labels));
        ArgumentOutOfRangeException.ThrowIfNegative(options.Padding, nameof(options));

        for (int position = 0; position < indices.Length; position++)
        {
            int index = indices[position];
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)index, (uint)dataset.Count, nameof(indices));
            labels[position] = dataset.Labels[index];
        }

        // A table turns every byte (including the zero of the padding) into its final float, computed
        // exactly as (x/255 - mean)/std rather than a fused approximation. Channels go in the outer loop
        // so one small stack table serves any channel count.
        Span<float> byteToFloat = stackalloc float[256];
        int planeSize = dataset.Height * dataset.Width;
        for (int channel = 0; channel < dataset.Channels; channel++)
        {
            FillConversionTable(dataset, channel, options.Normalize, byteToFloat);
            for (int position = 0; position < indices.Length; position++)
            {
                // Redrawing per channel is cheap and keeps one set of choices per image, shared by its channels.
                ImageAugmentation augmentation = ImageAugmentation.Draw(options, seed, batchId, position);
                ReadOnlySpan<byte> plane = dataset.Image(indices[position]).Slice(channel * planeSize, planeSize);
                Span<float> destination = images.Slice(position * imageSize + channel * planeSize, planeSize);
                CopyPlane(plane, dataset.Height, dataset.Width, augmentation, byteToFloat, destination);
            }
        }
    }

    /// <summary>
    /// What each byte of each channel becomes (channels × 256 floats, channel-major), exactly as <see cref="Assemble"/>
    /// converts it: for assemblers elsewhere (on a GPU) that must give the same bits.
    /// </summary>
    public static float[] ConversionTables(ImageDataset dataset, bool normalize)
    {
        var tables = new float[dataset.Channels * 256];
        for (int channel = 0; channel < dataset.Channels; channel++)
            FillConversionTable(dataset, channel, normalize, tables.AsSpan(channel * 256, 256));
        return tables;
    }

    /// <summary>
    /// The batch as four ints per image: data-set index, vertical shift, horizontal shift, flip (0 or 1), with the
    /// augmentation drawn exactly as <see cref="Assemble"/> draws it; for assemblers elsewhere (on a GPU).
    /// </summary>
    public static void Plan(ReadOnlySpan<int> indices, AugmentOptions options, ulong seed, long batchId, Span<int> plan)
    {
        if (plan.Length != indices.Length * 4)
            throw new ArgumentException($"need {indices.Length * 4} ints for {indices.Length} images, got {plan.Length}", nameof(plan));
        for (int position = 0; position < indices.Length; position++)
        {
            ImageAugmentation a = ImageAugmentation.Draw(options, seed, batchId, position);
            plan[4 * position] = indices[position];
            plan[4 * position + 1] = a.ShiftY;
            plan[4 * position + 2] = a.ShiftX;
            plan[4 * position + 3] = a.Flip ? 1 : 0;
        }
    }

    private static void FillConversionTable(ImageDataset dataset, int channel, bool normalize, Span<float> table)
    {
        for (int value = 0; value < 256; value++)
        {
            float unit = value / 255f;
            table[value] = normalize ? (unit - dataset.Mean[channel]) / dataset.Std[channel] : unit;
        }
    }

    private static void CopyPlane(
        ReadOnlySpan<byte> plane, int height, int width, ImageAugmentation augmentation, ReadOnlySpan<float> table, Span<float> destination)
    {
        for (int y = 0; y < height; y++)
        {
            Span<float> outRow = destination.Slice(y * width, width);
            int sourceY = y + augmentation.ShiftY;
            if ((uint)sourceY >= (uint)height)
            {
                outRow.Fill(table[0]); // a whole row of padding
                continue;
            }
            ReadOnlySpan<byte> row = plane.Slice(sourceY * width, width);
            for (int x = 0; x < width; x++)
            {
                // Flipping the crop mirrors the column inside the crop window, then the window is shifted.
                int sourceX = (augmentation.Flip ? width - 1 - x : x) + augmentation.ShiftX;
                outRow[x] = table[(uint)sourceX < (uint)width ? row[sourceX] : 0];
            }
        }
    }
}
