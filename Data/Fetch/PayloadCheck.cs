using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;

namespace StaticGraph.Data;

/// <summary>
/// Decides whether a download holds the data set: decompresses it, checks each payload's exact length and its
/// SHA-256 where recorded, and otherwise the download's MD5 against the publisher's. Each refusal is one line
/// naming the file and what is wrong with it.
/// </summary>
internal static class PayloadCheck
{
    /// <summary>True when the files <paramref name="file"/> leaves behind are already in <paramref name="folder"/> and intact.</summary>
    public static bool IsPresent(DownloadFile file, string folder)
    {
        try
        {
            if (file.Kind == DownloadKind.Gzip)
            {
                var kept = Path.Combine(folder, file.FileName);
                if (!File.Exists(kept)) return false;
                Verify(file, kept, folder);
                return true;
            }
            foreach (var payload in file.Payloads)
            {
                var path = Path.Combine(folder, payload.Name);
                if (!File.Exists(path) || new FileInfo(path).Length != payload.Length) return false;
                if (payload.Sha256 is { } sha)
                {
                    using var stream = File.OpenRead(path);
                    if (Hex(SHA256.HashData(stream)) != sha) return false;
                }
            }
            return true;
        }
        catch (FetchException)
        {
            return false;
        }
    }

    /// <summary>
    /// Checks <paramref name="download"/>; for a tarball, extracts its payloads to temporary files in
    /// <paramref name="folder"/> and returns them with their final names (deleted again if the check fails).
    /// </summary>
    public static IReadOnlyList<(string Temp, string Final)> Verify(DownloadFile file, string download, string folder)
    {
        var extracted = new List<(string Temp, string Final)>();
        try
        {
            var found = file.Kind == DownloadKind.Gzip ? HashGzip(file, download) : ExtractTar(file, download, folder, extracted);
            var md5 = file.Md5 is null ? null : HashFile(download);
            foreach (var payload in file.Payloads)
            {
                if (!found.TryGetValue(payload.Name, out var got))
                    throw new FetchException($"{file.FileName}: holds no {payload.Name} (not this data set, or truncated)");
                if (got.Length != payload.Length)
                    throw new FetchException($"{file.FileName}: {payload.Name} is {got.Length} bytes, expected {payload.Length} (truncated or not this data set)");
                if (payload.Sha256 is { } sha)
                {
                    if (got.Sha256 != sha) throw new FetchException($"{file.FileName}: {payload.Name} has SHA-256 {got.Sha256}, expected {sha} (corrupted)");
                }
                else if (file.Md5 is null || md5 != file.Md5)
                {
                    throw new FetchException(file.Md5 is null
                        ? $"{file.FileName}: nothing to check {payload.Name} against (no SHA-256 recorded and no published MD5)"
                        : $"{file.FileName}: MD5 {md5}, expected the published {file.Md5} (corrupted, or recompressed: no SHA-256 of {payload.Name} is recorded to check instead)");
                }
            }
            return extracted;
        }
        catch (Exception e) when (e is InvalidDataException or EndOfStreamException or FormatException)
        {
            Discard(extracted);
            throw new FetchException($"{file.FileName}: not a whole {(file.Kind == DownloadKind.Gzip ? "gzip" : "tar.gz")} file ({e.Message}); truncated or corrupted", e);
        }
        catch
        {
            Discard(extracted);
            throw;
        }
    }

    private static Dictionary<string, (long Length, string Sha256)> HashGzip(DownloadFile file, string path)
    {
        using var gzip = new GZipStream(File.OpenRead(path), CompressionMode.Decompress);
        return new() { [file.Payloads[0].Name] = Hash(gzip, null) };
    }

    private static Dictionary<string, (long Length, string Sha256)> ExtractTar(DownloadFile file, string path, string folder, List<(string Temp, string Final)> extracted)
    {
        var wanted = file.Payloads.Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
        var found = new Dictionary<string, (long, string)>();
        using var gzip = new GZipStream(File.OpenRead(path), CompressionMode.Decompress);
        using var tar = new TarReader(gzip);
        while (tar.GetNextEntry() is { } entry)
        {
            var name = entry.Name.Split('/')[^1];
            if (entry.EntryType is not (TarEntryType.RegularFile or TarEntryType.V7RegularFile) || !wanted.Contains(name) || entry.DataStream is null) continue;
            var temp = Path.Combine(folder, name + ".partial");
            extracted.Add((temp, Path.Combine(folder, name)));
            using var output = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16);
            found[name] = Hash(entry.DataStream, output);
        }
        return found;
    }

    /// <summary>Length and SHA-256 of what <paramref name="input"/> yields, copied to <paramref name="copy"/> when given.</summary>
    private static (long Length, string Sha256) Hash(Stream input, Stream? copy)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[1 << 16];
        long length = 0;
        int read;
        while ((read = input.Read(buffer)) > 0)
        {
            sha.AppendData(buffer, 0, read);
            copy?.Write(buffer, 0, read);
            length += read;
        }
        return (length, Hex(sha.GetHashAndReset()));
    }

    private static string HashFile(string path)
    {
        using var stream = File.OpenRead(path);
        return Hex(MD5.HashData(stream));
    }

    private static string Hex(byte[] hash) => Convert.ToHexStringLower(hash);

    private static void Discard(List<(string Temp, string Final)> extracted)
    {
        foreach (var (temp, _) in extracted) if (File.Exists(temp)) File.Delete(temp);
    }
}
