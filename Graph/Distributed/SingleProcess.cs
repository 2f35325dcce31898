using System.Numerics;

namespace StaticGraph.Distributed;

/// <summary>A world of one: every collective is the identity. What a run without a launcher uses, so callers need no branch.</summary>
public sealed class SingleProcess : ICommunicator
{
    /// <summary>The one instance.</summary>
    public static SingleProcess Instance { get; } = new();

    private SingleProcess()
    {
    }

    /// <inheritdoc/>
    public int Rank => 0;

    /// <inheritdoc/>
    public int Size => 1;

    /// <inheritdoc/>
    public int LocalRank => 0;

    /// <inheritdoc/>
    public string Transport => "single process";

    /// <inheritdoc/>
    public void AllReduceSum<T>(Span<T> values) where T : unmanaged, IFloatingPointIeee754<T>
    {
    }

    /// <inheritdoc/>
    public byte[][] AllGather(ReadOnlySpan<byte> mine) => [mine.ToArray()];

    /// <inheritdoc/>
    public void Broadcast(Span<byte> data, int root)
    {
        if (root != 0) throw new ArgumentOutOfRangeException(nameof(root), $"a world of one has only rank 0, not {root}");
    }
}
