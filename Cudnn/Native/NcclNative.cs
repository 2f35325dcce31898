using System.Runtime.InteropServices;

namespace StaticGraph.Cuda.Native;

/// <summary>
/// Raw NCCL 2 entry points (prototypes from <c>nccl.h</c>): every call returns an <c>ncclResult_t</c> (0 is ncclSuccess).
/// <c>ncclComm_t</c> and <c>cudaStream_t</c> are pointers (a driver-API CUstream is a cudaStream_t); device buffers are
/// passed as <c>ulong</c> CUdeviceptrs. <c>ncclCommInitRank</c> takes the 128-byte <see cref="NcclUniqueId"/> by value.
/// </summary>
internal static unsafe partial class NcclNative
{
    private const string Lib = NativeLibraryResolver.NcclName;

    static NcclNative() => NativeLibraryResolver.EnsureRegistered();

    /// <summary><c>ncclSum</c> of <c>ncclRedOp_t</c>.</summary>
    public const int Sum = 0;

    /// <summary><c>ncclFloat32</c> of <c>ncclDataType_t</c>.</summary>
    public const int Float32 = 7;

    /// <summary><c>ncclFloat64</c> of <c>ncclDataType_t</c>.</summary>
    public const int Float64 = 8;

    [LibraryImport(Lib)] internal static partial int ncclGetVersion(int* version);
    [LibraryImport(Lib)] internal static partial int ncclGetUniqueId(NcclUniqueId* uniqueId);
    [LibraryImport(Lib)] internal static partial int ncclCommInitRank(nint* comm, int nranks, NcclUniqueId commId, int rank);
    [LibraryImport(Lib)] internal static partial int ncclCommDestroy(nint comm);
    [LibraryImport(Lib)] internal static partial int ncclCommAbort(nint comm);
    [LibraryImport(Lib)] internal static partial int ncclCommGetAsyncError(nint comm, int* asyncError);
    [LibraryImport(Lib)] internal static partial nint ncclGetErrorString(int result);

    [LibraryImport(Lib)]
    internal static partial int ncclAllReduce(ulong sendbuff, ulong recvbuff, nuint count, int datatype, int op, nint comm, nint stream);
}

/// <summary><c>ncclUniqueId</c>: <c>struct { char internal[NCCL_UNIQUE_ID_BYTES]; }</c> with NCCL_UNIQUE_ID_BYTES = 128.</summary>
[StructLayout(LayoutKind.Sequential, Size = Bytes)]
internal unsafe struct NcclUniqueId
{
    /// <summary>NCCL_UNIQUE_ID_BYTES.</summary>
    public const int Bytes = 128;

    public fixed byte Internal[Bytes];
}
