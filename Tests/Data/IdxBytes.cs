using System.Buffers.Binary;
using System.IO.Compression;

namespace StaticGraph.Tests.Data;

/// <summary>Builds IDX files byte by byte in the published layout, so the reader is tested against the format, not itself.</summary>
internal static class IdxBytes
{
    public static byte[] Build(int[] dimensions, ReadOnlySpan<byte> data, byte type = 0x08)
    {
        var bytes = new byte[4 + 4 * dimensions.Length + data.Length];
        bytes[2] = type;
        bytes[3] = (byte)dimensions.Length;
        for (int i = 0; i < dimensions.Length; i++)
            BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(4 + 4 * i), dimensions[i]);
        data.CopyTo(bytes.AsSpan(4 + 4 * dimensions.Length));
        return bytes;
    }

    /// <summary>A header-only file, for headers that promise data that is not there.</summary>
    public static byte[] Header(params int[] dimensions) => Build(dimensions, []);

    public static byte[] Gzip(byte[] raw)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Optimal, leaveOpen: true))
            gzip.Write(raw);
        return output.ToArray();
    }

    public static byte[] Pattern(int length, int salt = 0)
    {
        var data = new byte[length];
        for (int i = 0; i < length; i++)
            data[i] = (byte)(i * 37 + salt * 11 + (i >> 3));
        return data;
    }
}
