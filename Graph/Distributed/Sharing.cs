using System.Buffers.Binary;
using System.Text;

namespace StaticGraph.Distributed;

/// <summary>Collectives built on <see cref="ICommunicator"/>'s: what rank 0 alone can produce, shared with every rank.</summary>
public static class Sharing
{
    /// <summary>
    /// Rank 0 runs <paramref name="produce"/> (reading a file only it may see) and every rank gets its bytes. When it throws,
    /// rank 0 rethrows it and every other rank throws a <see cref="CollectiveException"/> with its message, so that no rank
    /// waits for bytes that will never come.
    /// </summary>
    public static byte[] FromRoot(this ICommunicator world, Func<byte[]> produce)
    {
        ArgumentNullException.ThrowIfNull(world);
        ArgumentNullException.ThrowIfNull(produce);
        if (world.Size == 1) return produce();
        byte[] payload = [];
        Exception? failure = null;
        if (world.Rank == 0)
        {
            try
            {
                payload = produce();
            }
            catch (Exception e)
            {
                failure = e;
                payload = Encoding.UTF8.GetBytes(e.Message);
            }
        }
        // A header first (failed?, length), then the payload or the failure's message.
        var header = new byte[9];
        if (world.Rank == 0)
        {
            header[0] = failure is null ? (byte)0 : (byte)1;
            BinaryPrimitives.WriteInt64LittleEndian(header.AsSpan(1), payload.Length);
        }
        world.Broadcast(header, 0);
        if (world.Rank != 0) payload = new byte[checked((int)BinaryPrimitives.ReadInt64LittleEndian(header.AsSpan(1)))];
        world.Broadcast(payload, 0);
        if (failure is not null) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(failure).Throw();
        if (header[0] != 0) throw new CollectiveException(Encoding.UTF8.GetString(payload));
        return payload;
    }

    /// <summary>True when <paramref name="mine"/> is true on any rank: a decision every rank takes together (stop now).</summary>
    public static bool Any(this ICommunicator world, bool mine)
    {
        ArgumentNullException.ThrowIfNull(world);
        Span<double> flag = [mine ? 1 : 0];
        world.AllReduceSum(flag);
        return flag[0] > 0;
    }
}
