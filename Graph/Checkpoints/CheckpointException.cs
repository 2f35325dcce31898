namespace StaticGraph.Checkpoints;

/// <summary>A checkpoint was refused: truncated, corrupted, of another format version or of another graph.</summary>
public sealed class CheckpointException(string path, long offset, string reason)
    : Exception($"{path}: at byte {offset}: {reason}")
{
    /// <summary>The checkpoint file.</summary>
    public string FilePath { get; } = path;

    /// <summary>Where reading stopped.</summary>
    public long ByteOffset { get; } = offset;
}
