namespace StaticGraph.Data;

/// <summary>
/// A file a download decompresses to, and what it must be. Checking the payload rather than the compressed
/// download lets a recompressed copy (Debian repacks its dataset-* files) verify as well as the original.
/// </summary>
/// <param name="Name">The payload's file name (for a tarball member, the name after its last '/').</param>
/// <param name="Length">Its exact size in bytes, fixed by the format (e.g. 16 + 60000·28·28 for MNIST training images).</param>
/// <param name="Sha256">Its SHA-256 (lowercase hex) where recorded; null where it could not be computed yet (docs/data.md says which).</param>
public sealed record PayloadFile(string Name, long Length, string? Sha256);
