namespace StaticGraph.Distributed;

/// <summary>
/// A failure every rank meets with the same one-line message: the ranks disagree about something they must share (the
/// program, the world size of a checkpoint), found from the same gathered facts, or rank 0 failed at something it was to
/// share (reading the checkpoint) and told the others. Only rank 0 needs to print it.
/// </summary>
public sealed class CollectiveException(string message) : Exception(message);
