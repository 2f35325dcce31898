using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace StaticGraph.Distributed.Mpi;

/// <summary>
/// MPI's world as a communicator: the collectives of <see cref="PointToPointCommunicator"/> (a fixed-order ring) over
/// <c>MPI_Isend</c>/<c>MPI_Irecv</c>. A wait never blocks inside MPI: it polls <c>MPI_Test</c>, and while it waits it checks
/// that the ranks it waits on are alive (a rank on this machine whose process is gone is named at once) and that one
/// answered within <see cref="PeerTimeout"/>, so a lost rank ends the run with one line naming it instead of a hang.
/// </summary>
public sealed unsafe class MpiCommunicator : PointToPointCommunicator, IDisposable
{
    /// <summary>The environment variable that sets <see cref="PeerTimeout"/> in seconds (default 300).</summary>
    public const string TimeoutVariable = "STATICGRAPH_PEER_TIMEOUT";

    private static MpiCommunicator? _current;
    private readonly IntPtr _world;
    private readonly IntPtr _byte;
    private (string Host, int Pid)[] _peers = [];
    private bool _lost;
    private bool _disposed;

    private MpiCommunicator(int rank, int size, TimeSpan timeout, IntPtr world, IntPtr byteType)
    {
        (Rank, Size, PeerTimeout, _world, _byte) = (rank, size, timeout, world, byteType);
    }

    /// <inheritdoc/>
    public override int Rank { get; }

    /// <inheritdoc/>
    public override int Size { get; }

    /// <inheritdoc/>
    public override int LocalRank => _peers.Take(Rank).Count(p => p.Host == Host);

    /// <inheritdoc/>
    public override string Transport => "mpi";

    /// <summary>How long a rank waits for a peer's message before it reports the peer lost.</summary>
    public TimeSpan PeerTimeout { get; }

    /// <summary>This rank's host name, as MPI reports it.</summary>
    public string Host { get; private set; } = "";

    /// <summary>The MPI library's own version line (<c>MPI_Get_library_version</c>).</summary>
    public static string LibraryVersion()
    {
        var text = stackalloc byte[MpiNative.MaxString];
        int length;
        Check(MpiNative.MPI_Get_library_version(text, &length), "MPI_Get_library_version");
        return Encoding.UTF8.GetString(text, length).Split('\n')[0].Trim().TrimEnd(',');
    }

    /// <summary>
    /// Initialises MPI (once per process; MPI cannot be initialised again after it is finalised) and learns where every
    /// rank runs. Errors are returned, not fatal, on the world communicator, so that a failed call becomes an exception.
    /// </summary>
    public static MpiCommunicator Initialize(TimeSpan? peerTimeout = null)
    {
        if (_current is { _disposed: false } current) return current;
        if (_current is not null) throw new InvalidOperationException("MPI was finalised in this process and cannot be initialised again");
        int initialised, provided, rank, size;
        Check(MpiNative.MPI_Initialized(&initialised), "MPI_Initialized");
        if (initialised == 0) Check(MpiNative.MPI_Init_thread(null, null, MpiNative.ThreadSerialized, &provided), "MPI_Init_thread");
        var world = MpiHandles.CommWorld;
        Check(MpiNative.MPI_Comm_set_errhandler(world, MpiHandles.ErrorsReturn), "MPI_Comm_set_errhandler");
        Check(MpiNative.MPI_Comm_rank(world, &rank), "MPI_Comm_rank");
        Check(MpiNative.MPI_Comm_size(world, &size), "MPI_Comm_size");
        var communicator = new MpiCommunicator(rank, size, peerTimeout ?? TimeoutFromEnvironment(), world, MpiHandles.Byte);
        _current = communicator;
        var name = stackalloc byte[MpiNative.MaxString];
        int length;
        Check(MpiNative.MPI_Get_processor_name(name, &length), "MPI_Get_processor_name");
        communicator.Host = Encoding.UTF8.GetString(name, length);
        // Where each rank runs, so that a wait can tell a dead neighbour from a slow one.
        var mine = Encoding.UTF8.GetBytes($"{communicator.Host}\n{Environment.ProcessId.ToString(CultureInfo.InvariantCulture)}");
        communicator._peers = communicator.AllGather(mine).Select(b => Encoding.UTF8.GetString(b).Split('\n'))
            .Select(p => (p[0], int.Parse(p[1], CultureInfo.InvariantCulture))).ToArray();
        return communicator;
    }

    /// <summary>
    /// Finalises MPI, unless a peer was lost: finalising waits for every rank, and a lost one never comes, so the process
    /// then just exits and <c>mpirun</c> ends the job.
    /// </summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        if (_lost) return;
        int finalized;
        if (MpiNative.MPI_Finalized(&finalized) == MpiNative.Success && finalized == 0) MpiNative.MPI_Finalize();
    }

    /// <summary>Ends the whole job (every rank) with <paramref name="code"/>: for a rank that cannot go on when its peers could.</summary>
    public void Abort(int code) => MpiNative.MPI_Abort(_world, code);

    /// <inheritdoc/>
    protected override void Exchange(ReadOnlySpan<byte> send, int to, Span<byte> receive, int from, int tag)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        IntPtr sendRequest = IntPtr.Zero, receiveRequest = IntPtr.Zero;
        fixed (byte* s = send)
        fixed (byte* r = receive)
        {
            if (from >= 0) Check(MpiNative.MPI_Irecv(r, receive.Length, _byte, from, tag, _world, &receiveRequest), "MPI_Irecv");
            if (to >= 0) Check(MpiNative.MPI_Isend(s, send.Length, _byte, to, tag, _world, &sendRequest), "MPI_Isend");
            var clock = Stopwatch.StartNew();
            var nextLivenessCheck = TimeSpan.FromMilliseconds(100);
            var polls = 0;
            while (receiveRequest != IntPtr.Zero || sendRequest != IntPtr.Zero)
            {
                MpiStatus status;
                if (receiveRequest != IntPtr.Zero) Test(&receiveRequest, &status);
                if (sendRequest != IntPtr.Zero) Test(&sendRequest, &status);
                if (receiveRequest == IntPtr.Zero && sendRequest == IntPtr.Zero) break;
                // Spin while a transfer is likely under way (MPI progresses only inside its calls), then yield the core to
                // whatever else is runnable, then sleep: a rank waiting for a slower one (its compute, a checkpoint) must not
                // burn the time the scheduler would otherwise give it, or other processes, to compute.
                var waited = clock.Elapsed;
                if (++polls > 256) Backoff(waited);
                if (waited < nextLivenessCheck) continue;
                nextLivenessCheck = waited + TimeSpan.FromMilliseconds(100);
                var peer = receiveRequest != IntPtr.Zero ? from : to;
                CheckAlive(peer, tag);
                if (waited > PeerTimeout)
                {
                    _lost = true;
                    throw new PeerLostException(peer,
                        $"rank {peer} ({Where(peer)}) has not answered rank {Rank} for {PeerTimeout.TotalSeconds:F0} s during the {What(tag)}: it is lost or stuck (${TimeoutVariable} sets the limit)");
                }
            }
        }
    }

    /// <summary>Yields the core for the first 10 ms of a wait, then sleeps a millisecond between polls.</summary>
    private static void Backoff(TimeSpan waited)
    {
        if (waited < TimeSpan.FromMilliseconds(10)) Thread.Yield();
        else Thread.Sleep(1);
    }

    private void Test(IntPtr* request, MpiStatus* status)
    {
        int done;
        Check(MpiNative.MPI_Test(request, &done, status), "MPI_Test");
        if (done != 0) *request = IntPtr.Zero;
    }

    /// <summary>Throws <see cref="PeerLostException"/> when <paramref name="peer"/> runs on this machine and its process is gone.</summary>
    private void CheckAlive(int peer, int tag)
    {
        if (peer < 0 || peer >= _peers.Length || _peers[peer].Host != Host || ProcessAlive(_peers[peer].Pid)) return;
        _lost = true;
        throw new PeerLostException(peer, $"rank {peer} ({Where(peer)}) died while rank {Rank} waited for it during the {What(tag)}; stopping");
    }

    /// <summary>Whether the process exists and is not a zombie (a killed rank its launcher has not reaped yet).</summary>
    private static bool ProcessAlive(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var state = stat[(stat.LastIndexOf(')') + 2)..].TrimStart();
            return state.Length > 0 && state[0] is not ('Z' or 'X');
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private string Where(int peer) => peer < _peers.Length ? $"pid {_peers[peer].Pid} on {_peers[peer].Host}" : "not yet located";

    private static string What(int tag) => tag switch
    {
        AllReduceTag => "all-reduce",
        AllGatherTag => "all-gather",
        BroadcastTag => "broadcast",
        _ => $"exchange with tag {tag}",
    };

    private static TimeSpan TimeoutFromEnvironment()
    {
        var text = Environment.GetEnvironmentVariable(TimeoutVariable);
        if (string.IsNullOrEmpty(text)) return TimeSpan.FromSeconds(300);
        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds > 0
            ? TimeSpan.FromSeconds(seconds)
            : throw new ArgumentException($"${TimeoutVariable} must be a positive number of seconds, got '{text}'");
    }

    private static void Check(int code, string call)
    {
        if (code == MpiNative.Success) return;
        var text = stackalloc byte[MpiNative.MaxString];
        int length = 0;
        var message = MpiNative.MPI_Error_string(code, text, &length) == MpiNative.Success ? Encoding.UTF8.GetString(text, length) : "(no description)";
        throw new MpiException(call, code, message);
    }
}
