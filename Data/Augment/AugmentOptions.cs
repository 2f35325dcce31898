namespace StaticGraph.Data;

/// <summary>How a batch is turned from uint8 images into float tensors.</summary>
/// <param name="RandomCrop">Pad each side with <paramref name="Padding"/> zero pixels, then crop back to the original size at a random offset.</param>
/// <param name="Padding">Zero pixels added on each side before a random crop.</param>
/// <param name="HorizontalFlip">Mirror each image left-right with probability 1/2.</param>
/// <param name="Normalize">Map x to (x/255 - mean)/std per channel; otherwise to x/255.</param>
public sealed record AugmentOptions(bool RandomCrop = false, int Padding = 4, bool HorizontalFlip = false, bool Normalize = true)
{
    /// <summary>No augmentation, normalised: what evaluation uses.</summary>
    public static AugmentOptions Evaluation { get; } = new();

    /// <summary>Random 4-pixel-padded crop, random flip, normalised: the usual small-image training recipe.</summary>
    public static AugmentOptions Training { get; } = new(RandomCrop: true, Padding: 4, HorizontalFlip: true);
}
