using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;
using StaticGraph.Data;

namespace StaticGraph.Tests.Fetch;

/// <summary>
/// A small made-up data set in both published shapes: one gzip file whose payload SHA-256 is recorded, and
/// one tarball whose members have no recorded checksum, so its published MD5 vouches for them.
/// </summary>
internal sealed class ToyDataset
{
    public ToyDataset()
    {
        var rng = new System.Random(17);
        Payload = new byte[20000];
        rng.NextBytes(Payload);
        Gzip = Compress(Payload, CompressionLevel.Optimal);
        One = new byte[3000];
        Two = new byte[2000];
        rng.NextBytes(One);
        rng.NextBytes(Two);
        Tarball = TarGz(("set/one.bin", One), ("set/readme.txt", "made up"u8.ToArray()), ("set/two.bin", Two));
    }

    public byte[] Payload { get; }

    public byte[] Gzip { get; }

    public byte[] One { get; }

    public byte[] Two { get; }

    public byte[] Tarball { get; }

    /// <summary>The source as a publisher at <paramref name="baseUrl"/> would list it.</summary>
    public DatasetSource Source(Uri baseUrl) => new("toy", "Toy", baseUrl,
    [
        new DownloadFile("payload.gz", DownloadKind.Gzip, [new PayloadFile("payload", Payload.Length, Sha256(Payload))], Md5(Gzip)),
        new DownloadFile("set.tar.gz", DownloadKind.TarGz, [new PayloadFile("one.bin", One.Length, null), new PayloadFile("two.bin", Two.Length, null)], Md5(Tarball)),
    ]);

    /// <summary>Serves both files as the publisher does.</summary>
    public void ServeOn(LoopbackServer server, string prefix = "")
    {
        server.Serve(prefix + "payload.gz", Gzip);
        server.Serve(prefix + "set.tar.gz", Tarball);
    }

    public static byte[] Compress(byte[] data, CompressionLevel level)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, level)) gzip.Write(data);
        return buffer.ToArray();
    }

    private static byte[] TarGz(params (string Name, byte[] Data)[] entries)
    {
        using var tar = new MemoryStream();
        using (var writer = new TarWriter(tar, TarEntryFormat.Pax, leaveOpen: true))
        {
            foreach (var (name, data) in entries)
                writer.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, name) { DataStream = new MemoryStream(data) });
        }
        return Compress(tar.ToArray(), CompressionLevel.Optimal);
    }

    private static string Sha256(byte[] data) => Convert.ToHexStringLower(SHA256.HashData(data));

    private static string Md5(byte[] data) => Convert.ToHexStringLower(MD5.HashData(data));
}
