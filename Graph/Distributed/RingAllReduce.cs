using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;

namespace StaticGraph.Distributed;

/// <summary>One exchange of a collective: send to one rank while receiving from another (-1: that half is skipped).</summary>
public delegate void ExchangeBytes(ReadOnlySpan<byte> send, int to, Span<byte> receive, int from);

/// <summary>
/// The sum of every rank's buffer, by a ring reduce-scatter and a ring all-gather over point-to-point messages: each rank
/// sends and receives 2(N-1)/N of the buffer, the bandwidth optimum that NCCL's ring also reaches. The summation order is
/// fixed by the rank count and the length alone: the buffer is cut into N chunks, chunk c spanning elements
/// [c·L/N, (c+1)·L/N), and chunk c is summed as <c>((x_c + x_(c+1)) + x_(c+2)) + ... + x_(c-1)</c> (ranks mod N), starting at
/// rank c and travelling right. The rank holding the finished chunk then sends those very bytes around, so every rank ends
/// with the same bits. For two ranks both chunks are <c>x_0 + x_1</c> (IEEE addition commutes): the sum in rank order.
/// </summary>
/// <remarks>
/// Open MPI's own <c>MPI_Allreduce</c> chooses among several algorithms by message size and rank count, and none is
/// documented to keep one summation order; this one is ours, so the order is a documented fact (docs/distributed.md).
/// </remarks>
public static class RingAllReduce
{
    /// <summary>
    /// Replaces <paramref name="values"/> by the sum over the <paramref name="size"/> ranks. <paramref name="scratch"/> holds at
    /// least one chunk (<c>L/size + 1</c> elements); <paramref name="exchange"/> moves the bytes.
    /// </summary>
    public static void Sum<T>(Span<T> values, int rank, int size, Span<T> scratch, ExchangeBytes exchange) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(exchange);
        if (size < 1 || rank < 0 || rank >= size) throw new ArgumentOutOfRangeException(nameof(rank), $"rank {rank} of a world of {size}");
        if (size == 1) return;
        var (right, left) = ((rank + 1) % size, (rank + size - 1) % size);
        // Reduce-scatter: at step s, pass chunk (rank - s) on and add our own to chunk (rank - s - 1) coming in; after N-1
        // steps this rank holds the whole sum of chunk (rank + 1).
        for (var s = 0; s < size - 1; s++)
        {
            var sent = Chunk(values, Mod(rank - s, size), size);
            var target = Chunk(values, Mod(rank - s - 1, size), size);
            var incoming = scratch[..target.Length];
            exchange(MemoryMarshal.AsBytes((ReadOnlySpan<T>)sent), right, MemoryMarshal.AsBytes(incoming), left);
            // The partial sum so far comes first: x_c + ... + x_(rank-1), then this rank's term.
            TensorPrimitives.Add<T>(incoming, target, target);
        }
        // All-gather: at step s, pass on the finished chunk (rank + 1 - s) and receive chunk (rank - s) into place.
        for (var s = 0; s < size - 1; s++)
        {
            var sent = Chunk(values, Mod(rank + 1 - s, size), size);
            var received = Chunk(values, Mod(rank - s, size), size);
            exchange(MemoryMarshal.AsBytes((ReadOnlySpan<T>)sent), right, MemoryMarshal.AsBytes(received), left);
        }
    }

    /// <summary>Elements [c·L/N, (c+1)·L/N) of the buffer: chunk <paramref name="c"/> of <paramref name="size"/>.</summary>
    public static Span<T> Chunk<T>(Span<T> values, int c, int size)
    {
        var start = (int)((long)c * values.Length / size);
        var end = (int)((long)(c + 1) * values.Length / size);
        return values[start..end];
    }

    private static int Mod(int a, int n) => ((a % n) + n) % n;
}
