using System.Collections.Concurrent;

namespace StaticGraph.Distributed;

/// <summary>
/// N ranks as threads of one process, their messages passed through in-memory queues: the same collectives (and so the
/// same summation order) as under MPI, without a launcher. It lets a test, or a user without MPI, run a data-parallel step
/// of N ranks in one process and compare it with anything else computed there.
/// </summary>
public sealed class InProcessGroup
{
    private readonly BlockingCollection<(int Tag, byte[] Bytes)>[] _queues;
    private readonly CancellationTokenSource _abort = new();
    private volatile string? _failure;

    private InProcessGroup(int size, TimeSpan timeout)
    {
        if (size < 1) throw new ArgumentOutOfRangeException(nameof(size), $"a group needs at least one rank, got {size}");
        Size = size;
        Timeout = timeout;
        _queues = new BlockingCollection<(int, byte[])>[size * size];
        for (var i = 0; i < _queues.Length; i++) _queues[i] = [];
        Members = Enumerable.Range(0, size).Select(r => (ICommunicator)new Member(this, r)).ToArray();
    }

    /// <summary>The number of ranks.</summary>
    public int Size { get; }

    /// <summary>How long a rank waits for a message before it reports the sender lost.</summary>
    public TimeSpan Timeout { get; }

    /// <summary>The communicator of each rank, indexed by rank.</summary>
    public IReadOnlyList<ICommunicator> Members { get; }

    /// <summary>A group of <paramref name="size"/> ranks (a rank waits <paramref name="timeout"/>, default two minutes, for a message).</summary>
    public static InProcessGroup Create(int size, TimeSpan? timeout = null) => new(size, timeout ?? TimeSpan.FromMinutes(2));

    /// <summary>
    /// Runs <paramref name="body"/> once per rank, each on a thread of its own with that rank's communicator, and returns
    /// the results by rank. When a rank throws, the others' waits end at once (naming it) and the first exception is rethrown.
    /// </summary>
    public static T[] Run<T>(int size, Func<ICommunicator, T> body, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(body);
        var group = Create(size, timeout);
        var results = new T[size];
        var errors = new Exception?[size];
        var threads = Enumerable.Range(0, size).Select(r => new Thread(() =>
        {
            try
            {
                results[r] = body(group.Members[r]);
            }
            catch (Exception e)
            {
                errors[r] = e;
                group.Fail(r, e);
            }
        }, 16 << 20)
        { Name = $"rank {r}", IsBackground = true }).ToList();
        foreach (var t in threads) t.Start();
        foreach (var t in threads) t.Join();
        // The rank that failed first is the cause; the others only report having lost it.
        var first = errors.FirstOrDefault(e => e is not null and not PeerLostException) ?? errors.FirstOrDefault(e => e is not null);
        if (first is not null) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(first).Throw();
        return results;
    }

    /// <summary>Records that <paramref name="rank"/> failed, ending every wait of the group.</summary>
    public void Fail(int rank, Exception cause)
    {
        ArgumentNullException.ThrowIfNull(cause);
        _failure ??= $"rank {rank} failed: {cause.Message}";
        _abort.Cancel();
    }

    private void Exchange(int rank, ReadOnlySpan<byte> send, int to, Span<byte> receive, int from, int tag)
    {
        if (to >= 0) _queues[rank * Size + to].Add((tag, send.ToArray()));
        if (from < 0) return;
        (int Tag, byte[] Bytes) message;
        try
        {
            if (!_queues[from * Size + rank].TryTake(out message, (int)Timeout.TotalMilliseconds, _abort.Token))
                throw new PeerLostException(from, $"rank {rank} waited {Timeout.TotalSeconds:F0} s for a message from rank {from}: rank {from} is lost");
        }
        catch (OperationCanceledException)
        {
            throw new PeerLostException(from, $"rank {rank} stopped waiting for rank {from}: {_failure}");
        }
        if (message.Tag != tag || message.Bytes.Length != receive.Length)
            throw new InvalidOperationException(
                $"rank {rank} expected {receive.Length} bytes (tag {tag}) from rank {from} and got {message.Bytes.Length} (tag {message.Tag}): the ranks called different collectives");
        message.Bytes.CopyTo(receive);
    }

    private sealed class Member(InProcessGroup group, int rank) : PointToPointCommunicator
    {
        public override int Rank => rank;

        public override int Size => group.Size;

        // One machine: the ranks are its first GPUs, as ranks launched there would be.
        public override int LocalRank => rank;

        public override string Transport => "in-process";

        protected override void Exchange(ReadOnlySpan<byte> send, int to, Span<byte> receive, int from, int tag) =>
            group.Exchange(rank, send, to, receive, from, tag);
    }
}
