namespace StaticGraph.Data;

/// <summary>A download failed; the message is one line naming the file and why (unreachable, truncated, corrupted).</summary>
public sealed class FetchException(string message, Exception? inner = null) : Exception(message, inner)
{
    /// <summary>The server could not be reached or refused the file, so another address (a mirror) might serve it.</summary>
    public bool Unreachable { get; init; }
}
