using StaticGraph.Distributed;

namespace StaticGraph.Cuda.Native;

/// <summary>
/// An NCCL communicator for one rank of a data-parallel run, made as Horovod and PyTorch DDP make theirs: rank 0 asks
/// NCCL for a unique id, the host communicator (MPI) broadcasts its 128 bytes, and every rank joins with
/// <c>ncclCommInitRank</c> on its own device (its context current). In deterministic mode the ring algorithm and the simple
/// protocol are asked for (<c>NCCL_ALGO=Ring</c>, <c>NCCL_PROTO=Simple</c>, unless the environment already says), so that
/// the summation order does not change with message size from one run to the next.
/// </summary>
internal sealed unsafe partial class NcclComm : IDisposable
{
    private nint _comm;

    private NcclComm(nint comm, int rank, int size)
    {
        _comm = comm;
        (Rank, Size) = (rank, size);
    }

    /// <summary>This rank.</summary>
    public int Rank { get; }

    /// <summary>The number of ranks.</summary>
    public int Size { get; }

    /// <summary>The <c>ncclComm_t</c>.</summary>
    public nint Handle => _comm != 0 ? _comm : throw new ObjectDisposedException(nameof(NcclComm));

    /// <summary>Joins the ranks of <paramref name="world"/>; the caller has made the rank's device context current.</summary>
    public static NcclComm Create(ICommunicator world, bool deterministic)
    {
        ArgumentNullException.ThrowIfNull(world);
        if (deterministic)
        {
            SetDefault("NCCL_ALGO", "Ring");
            SetDefault("NCCL_PROTO", "Simple");
        }
        var id = new NcclUniqueId();
        var bytes = new Span<byte>(id.Internal, NcclUniqueId.Bytes);
        if (world.Rank == 0) Nccl.Check(NcclNative.ncclGetUniqueId(&id), "ncclGetUniqueId");
        world.Broadcast(bytes, 0);
        nint comm;
        Nccl.Check(NcclNative.ncclCommInitRank(&comm, world.Size, id, world.Rank), "ncclCommInitRank");
        return new NcclComm(comm, world.Rank, world.Size);
    }

    /// <summary>Raises a failure NCCL found in the background (a peer lost, a network error).</summary>
    public void ThrowIfFailed()
    {
        int error;
        Nccl.Check(NcclNative.ncclCommGetAsyncError(Handle, &error), "ncclCommGetAsyncError");
        Nccl.Check(error, "an NCCL operation (asynchronous error)");
    }

    /// <summary>Frees the communicator (<c>ncclCommDestroy</c>).</summary>
    public void Dispose()
    {
        if (_comm == 0) return;
        NcclNative.ncclCommDestroy(_comm);
        _comm = 0;
    }

    /// <summary>
    /// Sets an environment variable for native code (<c>setenv</c>; .NET's own environment is a copy NCCL never reads),
    /// unless it is already set.
    /// </summary>
    private static void SetDefault(string name, string value) => Posix.SetEnv(name, value, 0);

    private static partial class Posix
    {
        [System.Runtime.InteropServices.LibraryImport("libc", EntryPoint = "setenv", StringMarshalling = System.Runtime.InteropServices.StringMarshalling.Utf8)]
        public static partial int SetEnv(string name, string value, int overwrite);
    }
}
