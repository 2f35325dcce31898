using System.Runtime.InteropServices;

namespace StaticGraph.Distributed.Mpi;

/// <summary>
/// The Open MPI 4.1 calls the communicator makes, as declared in its <c>mpi.h</c>. Handles (<c>MPI_Comm</c>,
/// <c>MPI_Datatype</c>, <c>MPI_Request</c>, <c>MPI_Errhandler</c>) are pointers in Open MPI; the predefined ones are the
/// addresses of global objects (<c>MPI_COMM_WORLD</c> is <c>&amp;ompi_mpi_comm_world</c>), read with
/// <see cref="NativeLibrary.GetExport"/> (<see cref="MpiHandles"/>), not MPICH's integer constants. Every call returns an
/// error code (<see cref="Success"/>) once <c>MPI_ERRORS_RETURN</c> is set on the communicator.
/// </summary>
internal static unsafe partial class MpiNative
{
    static MpiNative() => MpiLibrary.EnsureRegistered();

    /// <summary><c>MPI_SUCCESS</c>.</summary>
    public const int Success = 0;

    /// <summary><c>MPI_THREAD_SERIALIZED</c> (the enum SINGLE, FUNNELED, SERIALIZED, MULTIPLE counts from 0).</summary>
    public const int ThreadSerialized = 2;

    /// <summary><c>MPI_MAX_ERROR_STRING</c>, <c>MPI_MAX_PROCESSOR_NAME</c> and <c>MPI_MAX_LIBRARY_VERSION_STRING</c> are 256 in Open MPI 4.1; twice that is room to spare.</summary>
    public const int MaxString = 512;

    [LibraryImport(MpiLibrary.Name)]
    public static partial int MPI_Init_thread(int* argc, byte*** argv, int required, int* provided);

    [LibraryImport(MpiLibrary.Name)]
    public static partial int MPI_Initialized(int* flag);

    [LibraryImport(MpiLibrary.Name)]
    public static partial int MPI_Finalized(int* flag);

    [LibraryImport(MpiLibrary.Name)]
    public static partial int MPI_Finalize();

    [LibraryImport(MpiLibrary.Name)]
    public static partial int MPI_Abort(IntPtr comm, int errorcode);

    [LibraryImport(MpiLibrary.Name)]
    public static partial int MPI_Comm_rank(IntPtr comm, int* rank);

    [LibraryImport(MpiLibrary.Name)]
    public static partial int MPI_Comm_size(IntPtr comm, int* size);

    [LibraryImport(MpiLibrary.Name)]
    public static partial int MPI_Comm_set_errhandler(IntPtr comm, IntPtr errhandler);

    [LibraryImport(MpiLibrary.Name)]
    public static partial int MPI_Isend(void* buf, int count, IntPtr datatype, int dest, int tag, IntPtr comm, IntPtr* request);

    [LibraryImport(MpiLibrary.Name)]
    public static partial int MPI_Irecv(void* buf, int count, IntPtr datatype, int source, int tag, IntPtr comm, IntPtr* request);

    /// <summary><c>int MPI_Test(MPI_Request *request, int *flag, MPI_Status *status)</c>; a completed request is set to <c>MPI_REQUEST_NULL</c>.</summary>
    [LibraryImport(MpiLibrary.Name)]
    public static partial int MPI_Test(IntPtr* request, int* flag, MpiStatus* status);

    [LibraryImport(MpiLibrary.Name)]
    public static partial int MPI_Cancel(IntPtr* request);

    [LibraryImport(MpiLibrary.Name)]
    public static partial int MPI_Request_free(IntPtr* request);

    [LibraryImport(MpiLibrary.Name)]
    public static partial int MPI_Error_string(int errorcode, byte* text, int* resultlen);

    [LibraryImport(MpiLibrary.Name)]
    public static partial int MPI_Get_library_version(byte* version, int* resultlen);

    [LibraryImport(MpiLibrary.Name)]
    public static partial int MPI_Get_processor_name(byte* name, int* resultlen);
}

/// <summary>
/// Open MPI's <c>MPI_Status</c> (<c>struct ompi_status_public_t</c>): <c>MPI_SOURCE</c>, <c>MPI_TAG</c>, <c>MPI_ERROR</c>,
/// <c>_cancelled</c> (ints) and <c>_ucount</c> (size_t): 24 bytes on 64-bit Linux.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
internal struct MpiStatus
{
    public int Source;
    public int Tag;
    public int Error;
    public int Cancelled;
    public nuint Count;
}
