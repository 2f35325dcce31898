using System.Buffers.Binary;

namespace StaticGraph.Data;

/// <summary>
/// The validated header of an IDX file: magic (two zero bytes, element type, dimension count)
/// followed by one big-endian int32 size per dimension.
/// </summary>
internal sealed class IdxHeader
{
    private const byte UnsignedByteType = 0x08;
    private const int MaxDimensions = 4;

    private IdxHeader(int[] dimensions, long dataLength)
    {
        Dimensions = dimensions;
        DataLength = dataLength;
    }

    public int[] Dimensions { get; }

    /// <summary>How many data bytes the header promises (one per element, as only unsigned bytes are accepted).</summary>
    public long DataLength { get; }

    /// <summary>Bytes taken by the header, which is also the offset of the first data byte.</summary>
    public long ByteLength => ByteLengthFor(Dimensions.Length);

    public static long ByteLengthFor(int dimensionCount) => 4L + 4L * dimensionCount;

    public static string ShapeText(IReadOnlyList<int> dimensions) => string.Join("x", dimensions);

    public static IdxHeader Read(TrackedReader reader)
    {
        Span<byte> magic = stackalloc byte[4];
        int got = reader.ReadUpTo(magic);
        if (got < magic.Length)
        {
            throw reader.Error(got, got == 0
                ? "the file is empty; expected an IDX header"
                : $"the file ends after {got} bytes, inside the 4-byte IDX magic");
        }
        if (magic[0] != 0 || magic[1] != 0)
        {
            throw reader.Error(magic[0] != 0 ? 0 : 1,
                $"not an IDX file: the magic must start with two zero bytes, found 0x{magic[0]:X2} 0x{magic[1]:X2}");
        }
        if (magic[2] != UnsignedByteType)
            throw reader.Error(2, $"{DescribeType(magic[2])} is not supported; only 0x08 (unsigned byte) is");

        int dimensionCount = magic[3];
        if (dimensionCount is < 1 or > MaxDimensions)
            throw reader.Error(3, $"the dimension count is {dimensionCount}; expected 1 to {MaxDimensions}");

        int[] dimensions = ReadDimensions(reader, dimensionCount);
        return new IdxHeader(dimensions, ElementCount(reader, dimensions));
    }

    private static int[] ReadDimensions(TrackedReader reader, int count)
    {
        Span<byte> sizes = stackalloc byte[4 * MaxDimensions];
        sizes = sizes[..(4 * count)];
        int got = reader.ReadUpTo(sizes);
        if (got < sizes.Length)
        {
            throw reader.Error(4 + got,
                $"the file ends inside the header: {count} dimension sizes need {sizes.Length} bytes, only {got} are present");
        }

        var dimensions = new int[count];
        for (int i = 0; i < count; i++)
        {
            dimensions[i] = BinaryPrimitives.ReadInt32BigEndian(sizes.Slice(4 * i, 4));
            if (dimensions[i] <= 0)
                throw reader.Error(4 + 4 * i, $"dimension {i} has size {dimensions[i]}; sizes must be positive");
        }
        return dimensions;
    }

    private static long ElementCount(TrackedReader reader, int[] dimensions)
    {
        long product = 1;
        for (int i = 0; i < dimensions.Length; i++)
        {
            // product <= Array.MaxLength < 2^31 and each size < 2^31, so this cannot overflow a long.
            product *= dimensions[i];
            if (product > Array.MaxLength)
            {
                throw reader.Error(4 + 4 * i,
                    $"the dimensions {ShapeText(dimensions)} describe more elements than one array can hold ({Array.MaxLength})");
            }
        }
        return product;
    }

    private static string DescribeType(byte type) => type switch
    {
        0x09 => "element type 0x09 (signed byte)",
        0x0B => "element type 0x0B (int16)",
        0x0C => "element type 0x0C (int32)",
        0x0D => "element type 0x0D (float32)",
        0x0E => "element type 0x0E (float64)",
        _ => $"unknown element type 0x{type:X2}",
    };
}
