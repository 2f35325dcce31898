namespace StaticGraph.Data;

/// <summary>The contents of an IDX file: its dimension sizes and its unsigned-byte elements in row-major order.</summary>
/// <param name="Dimensions">The size of each dimension, outermost first (for MNIST images: count, rows, columns).</param>
/// <param name="Data">The elements, row-major; its length is the product of <paramref name="Dimensions"/>.</param>
public sealed record IdxArray(int[] Dimensions, byte[] Data)
{
    /// <summary>Where the first element sits in the (decompressed) file: after the 4-byte magic and 4 bytes per dimension.</summary>
    public long DataOffset => IdxHeader.ByteLengthFor(Dimensions.Length);

    /// <summary>True when the file was gzip-compressed, so offsets into it count decompressed bytes.</summary>
    public bool WasCompressed { get; init; }

    /// <summary>The dimensions written as "60000x28x28", for messages.</summary>
    public string ShapeText => IdxHeader.ShapeText(Dimensions);
}
