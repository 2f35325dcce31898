namespace StaticGraph.Distributed.Mpi;

/// <summary>An MPI call returned an error; the message names the call and carries <c>MPI_Error_string</c>'s text.</summary>
public sealed class MpiException(string call, int code, string text) : Exception($"{call} failed with MPI error {code}: {text}")
{
    /// <summary>The MPI error code.</summary>
    public int Code { get; } = code;
}
