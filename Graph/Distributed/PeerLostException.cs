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

/// <summary>
/// A failure every rank meets with the same one-line message: the ranks disagree about something they must share (the
/// program, the world size of a checkpoint), found from the same gathered facts, or rank 0 failed at something it was to
/// share (reading the checkpoint) and told the others. Only rank 0 needs to print it.
/// </summary>
public sealed class CollectiveException(string message) : Exception(message);
