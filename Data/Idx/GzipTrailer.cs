using System.Buffers.Binary;

namespace StaticGraph.Data;

/// <summary>
/// Checks that a gzip file ends exactly with the trailer (CRC-32 and length) of the data it decompressed to.
/// </summary>
/// <remarks>
/// GZipStream quietly accepts a file cut off inside its 8-byte trailer and ignores bytes after the
/// last member, so without this check such damage would go unnoticed.
/// </remarks>
internal static class GzipTrailer
{
    private const int TrailerLength = 8;

    /// <summary>Call once the decompressed stream has been read to its end.</summary>
    public static void Verify(FileStream file, TrackedReader reader)
    {
        Span<byte> trailer = stackalloc byte[TrailerLength];
        bool complete = file.Length >= TrailerLength;
        if (complete)
        {
            file.Seek(-TrailerLength, SeekOrigin.End);
            complete = file.ReadAtLeast(trailer, TrailerLength, throwOnEndOfStream: false) == TrailerLength;
        }

        uint expectedCrc = Crc32.Finish(reader.RunningCrc);
        uint expectedLength = unchecked((uint)reader.Position); // gzip stores the length modulo 2^32
        if (!complete
            || BinaryPrimitives.ReadUInt32LittleEndian(trailer) != expectedCrc
            || BinaryPrimitives.ReadUInt32LittleEndian(trailer[4..]) != expectedLength)
        {
            throw reader.Error(reader.Position,
                "the gzip file does not end with the trailer of its data: it is truncated, has bytes after the "
                + "compressed data, or is made of several gzip members (not supported)");
        }
    }
}
