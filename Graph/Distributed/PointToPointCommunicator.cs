using System.Numerics;
using System.Runtime.InteropServices;

namespace StaticGraph.Distributed;

/// <summary>
/// The collectives written once over one primitive, <see cref="Exchange"/> (send a message to one rank while receiving one
/// from another). MPI and the in-process group only move bytes; the arithmetic and its order are the same code for both,
/// so what the tests prove in one process holds under <c>mpirun</c>.
/// </summary>
public abstract class PointToPointCommunicator : ICommunicator
{
    /// <summary>Message tags, one per collective, so that a rank calling another collective than its peer is caught where the transport can check.</summary>
    protected const int AllReduceTag = 11, AllGatherTag = 12, BroadcastTag = 13;

    // The largest piece one message carries: MPI counts bytes in an int.
    private const int MaxPiece = 1 << 30;

    private byte[] _scratch = [];
    private ExchangeBytes? _allReduceExchange;

    /// <inheritdoc/>
    public abstract int Rank { get; }

    /// <inheritdoc/>
    public abstract int Size { get; }

    /// <inheritdoc/>
    public abstract int LocalRank { get; }

    /// <inheritdoc/>
    public abstract string Transport { get; }

    /// <summary>
    /// Sends <paramref name="send"/> to rank <paramref name="to"/> while receiving exactly <paramref name="receive"/>'s length
    /// from rank <paramref name="from"/>, returning when both are done; -1 for either rank skips that half. Both halves are
    /// posted before either is waited for, so that a ring of exchanges cannot deadlock.
    /// </summary>
    protected abstract void Exchange(ReadOnlySpan<byte> send, int to, Span<byte> receive, int from, int tag);

    /// <inheritdoc/>
    public void AllReduceSum<T>(Span<T> values) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (Size == 1) return;
        var bytes = (long)values.Length * System.Runtime.CompilerServices.Unsafe.SizeOf<T>();
        // A chunk is at most a 1/Size share plus one element; it must fit one message.
        if (bytes / Size + 16 > MaxPiece)
            throw new ArgumentException($"an all-reduce of {bytes} bytes over {Size} ranks sends chunks above {MaxPiece} bytes; use smaller buckets (DataParallel.BucketBytes)");
        var chunk = (int)(bytes / Size + 16);
        if (_scratch.Length < chunk) _scratch = new byte[chunk];
        _allReduceExchange ??= (s, to, r, from) => Exchange(s, to, r, from, AllReduceTag);
        RingAllReduce.Sum(values, Rank, Size, MemoryMarshal.Cast<byte, T>(_scratch.AsSpan()), _allReduceExchange);
    }

    /// <inheritdoc/>
    public byte[][] AllGather(ReadOnlySpan<byte> mine)
    {
        var (rank, size) = (Rank, Size);
        var result = new byte[size][];
        result[rank] = mine.ToArray();
        if (size == 1) return result;
        // Lengths first, around the ring, then the blocks the same way: at step s each rank passes on what it received at s - 1.
        var lengths = new int[size];
        lengths[rank] = mine.Length;
        var (right, left) = ((rank + 1) % size, (rank + size - 1) % size);
        for (var s = 0; s < size - 1; s++)
        {
            var (sent, received) = (Mod(rank - s, size), Mod(rank - s - 1, size));
            Exchange(MemoryMarshal.AsBytes(lengths.AsSpan(sent, 1)), right, MemoryMarshal.AsBytes(lengths.AsSpan(received, 1)), left, AllGatherTag);
        }
        for (var s = 0; s < size - 1; s++)
        {
            var (sent, received) = (Mod(rank - s, size), Mod(rank - s - 1, size));
            result[received] = new byte[lengths[received]];
            Exchange(result[sent], right, result[received], left, AllGatherTag);
        }
        return result;
    }

    /// <inheritdoc/>
    public void Broadcast(Span<byte> data, int root)
    {
        var (rank, size) = (Rank, Size);
        if (root < 0 || root >= size) throw new ArgumentOutOfRangeException(nameof(root), $"root {root} is not a rank of a world of {size}");
        if (size == 1) return;
        // A chain from the root, piece by piece, so that a large payload (a checkpoint) flows down the chain in a pipeline.
        var position = Mod(rank - root, size);
        var (right, left) = ((rank + 1) % size, (rank + size - 1) % size);
        const int piece = 8 << 20;
        for (var start = 0; start == 0 || start < data.Length; start += piece)
        {
            var part = data.Slice(start, Math.Min(piece, data.Length - start));
            if (position > 0) Exchange([], -1, part, left, BroadcastTag);
            if (position < size - 1) Exchange(part, right, [], -1, BroadcastTag);
        }
    }

    /// <summary>The non-negative remainder of <paramref name="a"/> by <paramref name="n"/>.</summary>
    protected static int Mod(int a, int n) => ((a % n) + n) % n;
}
