namespace StaticGraph.Data;

/// <summary>The records of one or more CIFAR binary files: labels and CHW pixels, in file order.</summary>
/// <param name="Labels">The class of each image (the label byte the format selects).</param>
/// <param name="Pixels">Count x 3 x 32 x 32 bytes, NCHW.</param>
public sealed record CifarRecords(int[] Labels, byte[] Pixels)
{
    /// <summary>Number of images.</summary>
    public int Count => Labels.Length;
}
