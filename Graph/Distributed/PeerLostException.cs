namespace StaticGraph.Distributed;

/// <summary>
/// Another rank stopped answering: its process is gone, or it sent nothing within the communicator's timeout. The message
/// is one line naming the rank and what this rank was waiting for, so that a run of many processes says which one failed.
/// </summary>
public sealed class PeerLostException(int peer, string message) : Exception(message)
{
    /// <summary>The rank that was lost.</summary>
    public int Peer { get; } = peer;
}
