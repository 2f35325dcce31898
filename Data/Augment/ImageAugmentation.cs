namespace StaticGraph.Data;

/// <summary>
/// The random choices made for one image: the crop window's shift relative to the original image
/// (each in [-padding, padding]; 0 means the centre crop) and whether it is mirrored.
/// </summary>
/// <param name="ShiftY">Row of the original image that becomes output row 0.</param>
/// <param name="ShiftX">Column of the original image that becomes output column 0 (before flipping).</param>
/// <param name="Flip">Whether the crop is mirrored left-right.</param>
public readonly record struct ImageAugmentation(int ShiftY, int ShiftX, bool Flip)
{
    // Separates augmentation draws from other uses of the same seed (e.g. epoch shuffles).
    private const ulong AugmentStream = 0xA5_6E_17;

    /// <summary>The choices for image <paramref name="position"/> of batch <paramref name="batchId"/>: a pure function of its arguments.</summary>
    public static ImageAugmentation Draw(AugmentOptions options, ulong seed, long batchId, int position)
    {
        ulong key = DeterministicHash.Hash(seed, AugmentStream, (ulong)batchId, (ulong)position);
        int shiftY = 0, shiftX = 0;
        if (options.RandomCrop)
        {
            // torchvision draws the top-left corner in [0, 2*padding] of the padded image; shifting by -padding
            // expresses the same window in original-image coordinates.
            int span = 2 * options.Padding + 1;
            shiftY = DeterministicHash.Below(DeterministicHash.Derive(key, 0), span) - options.Padding;
            shiftX = DeterministicHash.Below(DeterministicHash.Derive(key, 1), span) - options.Padding;
        }
        bool flip = options.HorizontalFlip && (DeterministicHash.Derive(key, 2) >> 63) != 0;
        return new ImageAugmentation(shiftY, shiftX, flip);
    }
}
