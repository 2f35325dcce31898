namespace StaticGraph.Data;

/// <summary>
/// Thrown when a data file is malformed or truncated. It always names the file and the byte
/// where the problem was found, so a broken download can be diagnosed without a hex editor.
/// </summary>
public sealed class DataFormatException : Exception
{
    /// <summary>Creates the exception for a problem found at <paramref name="byteOffset"/> of <paramref name="filePath"/>.</summary>
    /// <param name="filePath">The file that is malformed.</param>
    /// <param name="byteOffset">Where the problem was found (see <paramref name="offsetIsInDecompressedStream"/>).</param>
    /// <param name="problem">What was wrong, in words.</param>
    /// <param name="offsetIsInDecompressedStream">True when the file is gzip-compressed and the offset counts decompressed bytes.</param>
    /// <param name="innerException">The low-level failure, if any (for instance a corrupt gzip stream).</param>
    public DataFormatException(
        string filePath,
        long byteOffset,
        string problem,
        bool offsetIsInDecompressedStream = false,
        Exception? innerException = null)
        : base(FormatMessage(filePath, byteOffset, problem, offsetIsInDecompressedStream), innerException)
    {
        FilePath = filePath;
        ByteOffset = byteOffset;
        Problem = problem;
        OffsetIsInDecompressedStream = offsetIsInDecompressedStream;
    }

    /// <summary>The file that is malformed.</summary>
    public string FilePath { get; }

    /// <summary>Where the problem was found, counted from the start of the (decompressed) data.</summary>
    public long ByteOffset { get; }

    /// <summary>What was wrong, without the file and offset prefix.</summary>
    public string Problem { get; }

    /// <summary>True when <see cref="ByteOffset"/> counts bytes of the decompressed stream of a gzip file.</summary>
    public bool OffsetIsInDecompressedStream { get; }

    private static string FormatMessage(string filePath, long byteOffset, string problem, bool decompressed) =>
        decompressed
            ? $"{filePath}: at decompressed byte {byteOffset}: {problem}"
            : $"{filePath}: at byte {byteOffset}: {problem}";
}
