namespace StaticGraph.Backend.Cpu;

/// <summary>
/// How the channel statistics of batch normalisation walk a tensor [N, C, rest...]: channel c of
/// image n is the contiguous row of <see cref="Plane"/> elements starting at (n*C + c)*Plane.
/// </summary>
/// <param name="Images">N.</param>
/// <param name="Channels">C.</param>
/// <param name="Plane">Elements per image and channel (H*W, or 1 for [N, C]).</param>
internal readonly record struct BatchNormLayout(int Images, int Channels, long Plane)
{
    /// <summary>The layout of a tensor of shape <paramref name="x"/> (rank 2 or more).</summary>
    public static BatchNormLayout Of(Shape x) => new(x[0], x[1], x.Product(2, x.Rank));

    /// <summary>Elements each channel's statistics are taken over, M = N * Plane.</summary>
    public long PerChannel => Images * Plane;

    /// <summary>Offset of the row of channel <paramref name="channel"/> in image <paramref name="image"/>.</summary>
    public long RowOffset(int image, int channel) => ((long)image * Channels + channel) * Plane;
}
