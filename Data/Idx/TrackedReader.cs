using System.IO.Compression;

namespace StaticGraph.Data;

/// <summary>
/// Reads a stream while counting the bytes delivered, so that every error can name the offset
/// where it happened, and turns a corrupt gzip stream into a <see cref="DataFormatException"/>.
/// </summary>
internal sealed class TrackedReader(Stream stream, string filePath, bool isDecompressed) : IDisposable
{
    /// <summary>Releases the decompressor (and its native zlib state); the underlying file is left to its owner.</summary>
    public void Dispose()
    {
        if (isDecompressed)
            stream.Dispose();
    }

    /// <summary>How many bytes have been delivered so far.</summary>
    public long Position { get; private set; }

    public bool IsDecompressed => isDecompressed;

    /// <summary>Running CRC-32 of everything delivered so far (kept only for gzip, whose trailer it is checked against).</summary>
    public uint RunningCrc { get; private set; } = Crc32.Initial;

    /// <summary>Fills <paramref name="buffer"/> as far as the stream allows; returns the count read (short only at end of data).</summary>
    public int ReadUpTo(Span<byte> buffer)
    {
        int filled = 0;
        while (filled < buffer.Length)
        {
            int read = ReadOnce(buffer[filled..]);
            if (read == 0)
                break;
            filled += read;
        }
        return filled;
    }

    /// <summary>One read call; 0 means end of data.</summary>
    public int ReadOnce(Span<byte> buffer)
    {
        int read;
        try
        {
            read = stream.Read(buffer);
        }
        catch (InvalidDataException corrupt)
        {
            // GZipStream reports damaged compressed data this way; the caller only cares that the file is bad, and where.
            throw Error(Position, $"the gzip stream is corrupt ({corrupt.Message})", corrupt);
        }
        if (isDecompressed)
            RunningCrc = Crc32.Append(RunningCrc, buffer[..read]);
        Position += read;
        return read;
    }

    public DataFormatException Error(long offset, string problem, Exception? inner = null) =>
        new(filePath, offset, problem, isDecompressed, inner);

    /// <summary>Opens <paramref name="file"/> raw or through gzip, depending on its first two bytes.</summary>
    public static TrackedReader Open(FileStream file, string filePath)
    {
        bool gzip = StartsWithGzipMagic(file);
        file.Position = 0;
        return gzip
            ? new TrackedReader(new GZipStream(file, CompressionMode.Decompress, leaveOpen: true), filePath, isDecompressed: true)
            : new TrackedReader(file, filePath, isDecompressed: false);
    }

    private static bool StartsWithGzipMagic(FileStream file)
    {
        Span<byte> magic = stackalloc byte[2];
        // IDX magic starts with two zero bytes, so 0x1f 0x8b can never be a raw IDX file.
        return file.ReadAtLeast(magic, 2, throwOnEndOfStream: false) == 2 && magic[0] == 0x1f && magic[1] == 0x8b;
    }
}
