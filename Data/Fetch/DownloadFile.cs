namespace StaticGraph.Data;

/// <summary>How a downloaded file holds its payload.</summary>
public enum DownloadKind
{
    /// <summary>One gzip-compressed payload; the .gz itself is kept (the loaders read gzip and check its CRC).</summary>
    Gzip,

    /// <summary>A gzip-compressed tar whose members are the payloads; they are extracted and the tarball is dropped.</summary>
    TarGz,
}

/// <summary>One file of a data set as its publisher serves it.</summary>
/// <param name="FileName">The published file name, below the data set's base address (or a mirror's).</param>
/// <param name="Kind">Gzip or tar.gz.</param>
/// <param name="Payloads">What it decompresses to.</param>
/// <param name="Md5">The publisher's MD5 of the download itself, where one is published; it vouches for payloads without a recorded SHA-256.</param>
public sealed record DownloadFile(string FileName, DownloadKind Kind, IReadOnlyList<PayloadFile> Payloads, string? Md5 = null);
