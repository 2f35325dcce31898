namespace StaticGraph.Data;

/// <summary>
/// Reads IDX files (the format of MNIST and its relatives), raw or gzip-compressed.
/// Anything malformed, truncated or padded with trailing bytes is refused with a
/// <see cref="DataFormatException"/>, and no buffer larger than the file can actually supply is allocated.
/// </summary>
public static class IdxFile
{
    // First buffer for gzip data whose final size is only a claim until the bytes arrive.
    private const int MinimumGzipBuffer = 64 * 1024;

    // Image data rarely compresses better than this; starting near the real size avoids most
    // regrowth copies, while a lying header still costs no more than a few times the file size.
    private const int ExpectedCompressionRatio = 4;

    /// <summary>Reads the IDX file at <paramref name="path"/>; gzip is recognised by its magic bytes, not the file name.</summary>
    /// <exception cref="DataFormatException">The file is not a well-formed unsigned-byte IDX file.</exception>
    public static IdxArray Read(string path)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1 << 16);
        using TrackedReader reader = TrackedReader.Open(file, path);
        IdxHeader header = IdxHeader.Read(reader);

        byte[] data;
        if (reader.IsDecompressed)
        {
            data = ReadGzipData(reader, header, file.Length);
            GzipTrailer.Verify(file, reader);
        }
        else
        {
            data = ReadRawData(reader, header, file.Length);
        }
        return new IdxArray(header.Dimensions, data) { WasCompressed = reader.IsDecompressed };
    }

    private static byte[] ReadRawData(TrackedReader reader, IdxHeader header, long fileLength)
    {
        // The file length is known, so a header that promises more (or less) is caught before allocating.
        long present = fileLength - header.ByteLength;
        if (present < header.DataLength)
            throw DataRanOut(reader, header, present);
        if (present > header.DataLength)
            throw TrailingBytes(reader, header, $"{present - header.DataLength} unexpected trailing bytes");

        var data = new byte[header.DataLength];
        int got = reader.ReadUpTo(data);
        if (got < data.Length)
            throw DataRanOut(reader, header, got); // the file shrank while being read
        return data;
    }

    private static byte[] ReadGzipData(TrackedReader reader, IdxHeader header, long compressedLength)
    {
        long initial = Math.Min(header.DataLength, Math.Max(MinimumGzipBuffer, compressedLength * ExpectedCompressionRatio));
        var data = new byte[initial];
        int filled = 0;
        while (filled < header.DataLength)
        {
            if (filled == data.Length)
            {
                // Grow only once the buffer is full of real data: memory tracks what actually decompressed.
                long grown = Math.Min(header.DataLength, 2L * data.Length);
                Array.Resize(ref data, (int)grown);
            }
            int read = reader.ReadOnce(data.AsSpan(filled));
            if (read == 0)
                throw DataRanOut(reader, header, filled);
            filled += read;
        }

        Span<byte> probe = stackalloc byte[1];
        if (reader.ReadOnce(probe) > 0)
            throw TrailingBytes(reader, header, "unexpected trailing bytes");
        return data;
    }

    private static DataFormatException DataRanOut(TrackedReader reader, IdxHeader header, long present) =>
        reader.Error(header.ByteLength + present,
            $"the data ran out: the header declares {ShapeText(header)} = {header.DataLength} bytes of data, "
            + $"but only {present} follow the {header.ByteLength}-byte header");

    private static DataFormatException TrailingBytes(TrackedReader reader, IdxHeader header, string what) =>
        reader.Error(header.ByteLength + header.DataLength,
            $"{what} after the {header.DataLength} bytes of data that the header ({ShapeText(header)}) declares");

    private static string ShapeText(IdxHeader header) => IdxHeader.ShapeText(header.Dimensions);
}
