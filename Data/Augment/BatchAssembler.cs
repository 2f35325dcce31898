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
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)indices[position], (uint)dataset.Count, nameof(indices));

        // The same two steps an assembler elsewhere (on a GPU) takes: draw the plan, then copy by it. Both are small enough
        // for the stack (four ints per image, 256 floats per channel), so nothing is allocated.
        Span<int> plan = indices.Length <= 1024 ? stackalloc int[indices.Length * PlanStride] : new int[indices.Length * PlanStride];
        Span<float> tables = stackalloc float[dataset.Channels * 256];
        Plan(indices, options, seed, batchId, plan);
        for (int channel = 0; channel < dataset.Channels; channel++)
            FillConversionTable(dataset, channel, options.Normalize, tables.Slice(channel * 256, 256));
        AssemblePlanned(dataset, plan, tables, images, labels);
    }

    /// <summary>Ints per image in a plan (<see cref="Plan"/>): data-set index, vertical shift, horizontal shift, flip.</summary>
    public const int PlanStride = 4;

    /// <summary>
    /// Writes the batch that <paramref name="plan"/> describes (<see cref="Plan"/>) into <paramref name="images"/> and
    /// <paramref name="labels"/>, each byte converted through <paramref name="tables"/> (<see cref="ConversionTables"/>):
    /// the host's half of an assembler that a backend may also run elsewhere on the same plan, giving the same bits.
    /// </summary>
    public static void AssemblePlanned(ImageDataset dataset, ReadOnlySpan<int> plan, ReadOnlySpan<float> tables, Span<float> images, Span<int> labels)
    {
        if (plan.Length % PlanStride != 0) throw new ArgumentException($"a plan holds {PlanStride} ints per image, got {plan.Length}", nameof(plan));
        int count = plan.Length / PlanStride;
        int imageSize = dataset.ImageSize;
        if (images.Length != (long)count * imageSize)
            throw new ArgumentException($"need {count} x {imageSize} floats, got {images.Length}", nameof(images));
        if (labels.Length != count)
            throw new ArgumentException($"need {count} labels, got {labels.Length}", nameof(labels));
        if (tables.Length != dataset.Channels * 256)
            throw new ArgumentException($"need {dataset.Channels} tables of 256 values, got {tables.Length} values", nameof(tables));
        int planeSize = dataset.Height * dataset.Width;
        for (int position = 0; position < count; position++)
        {
            var at = plan.Slice(position * PlanStride, PlanStride);
            int index = at[0];
            if ((uint)index >= (uint)dataset.Count)
                throw new ArgumentOutOfRangeException(nameof(plan), $"image {position} of the batch names index {index}; the data set holds {dataset.Count}");
            labels[position] = dataset.Labels[index];
            var augmentation = new ImageAugmentation(at[1], at[2], at[3] != 0);
            for (int channel = 0; channel < dataset.Channels; channel++)
            {
                ReadOnlySpan<byte> source = dataset.Image(index).Slice(channel * planeSize, planeSize);
                Span<float> destination = images.Slice(position * imageSize + channel * planeSize, planeSize);
                CopyPlane(source, dataset.Height, dataset.Width, augmentation, tables.Slice(channel * 256, 256), destination);
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
        if (plan.Length != indices.Length * PlanStride)
            throw new ArgumentException($"need {indices.Length * PlanStride} ints for {indices.Length} images, got {plan.Length}", nameof(plan));
        ArgumentOutOfRangeException.ThrowIfNegative(options.Padding, nameof(options));
        for (int position = 0; position < indices.Length; position++)
        {
            ImageAugmentation a = ImageAugmentation.Draw(options, seed, batchId, position);
            plan[PlanStride * position] = indices[position];
            plan[PlanStride * position + 1] = a.ShiftY;
            plan[PlanStride * position + 2] = a.ShiftX;
            plan[PlanStride * position + 3] = a.Flip ? 1 : 0;
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
