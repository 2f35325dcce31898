using System.Numerics;

namespace StaticGraph.Distributed;

/// <summary>
/// The ranks of a data-parallel run as a backend sees them: who this process is among how many, and the few collective
/// operations that training needs. Every rank calls the same collectives in the same order. A backend binds a program's
/// <c>all_reduce</c> nodes to the communicator given in <see cref="Backend.CompileOptions.Communicator"/>; the graph
/// itself names no transport.
/// </summary>
public interface ICommunicator
{
    /// <summary>This process's rank, 0 to <see cref="Size"/> - 1.</summary>
    int Rank { get; }

    /// <summary>The number of ranks (the world size).</summary>
    int Size { get; }

    /// <summary>This rank's index among the ranks on its machine: which of the machine's GPUs it takes.</summary>
    int LocalRank { get; }

    /// <summary>What carries the messages, for messages and reports ("mpi", "in-process", "single process").</summary>
    string Transport { get; }

    /// <summary>
    /// Replaces <paramref name="values"/> on every rank by the element-wise sum over the ranks, summed in an order fixed by
    /// the rank count and the length alone (never by timing), so that every rank gets the same bits and two runs agree bit
    /// for bit (<see cref="RingAllReduce"/>).
    /// </summary>
    void AllReduceSum<T>(Span<T> values) where T : unmanaged, IFloatingPointIeee754<T>;

    /// <summary>Every rank's <paramref name="mine"/>, indexed by rank (the lengths may differ).</summary>
    byte[][] AllGather(ReadOnlySpan<byte> mine);

    /// <summary>Overwrites <paramref name="data"/> on every rank with <paramref name="root"/>'s (every rank passes the same length).</summary>
    void Broadcast(Span<byte> data, int root);
}
