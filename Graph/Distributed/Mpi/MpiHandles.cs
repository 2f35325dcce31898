using System.Runtime.InteropServices;

namespace StaticGraph.Distributed.Mpi;

/// <summary>The predefined handles this project uses: addresses of Open MPI's global objects.</summary>
internal static class MpiHandles
{
    /// <summary><c>MPI_COMM_WORLD</c> = <c>&amp;ompi_mpi_comm_world</c>.</summary>
    public static IntPtr CommWorld => Export("ompi_mpi_comm_world");

    /// <summary><c>MPI_BYTE</c> = <c>&amp;ompi_mpi_byte</c>.</summary>
    public static IntPtr Byte => Export("ompi_mpi_byte");

    /// <summary><c>MPI_ERRORS_RETURN</c> = <c>&amp;ompi_mpi_errors_return</c>.</summary>
    public static IntPtr ErrorsReturn => Export("ompi_mpi_errors_return");

    /// <summary>The address of <paramref name="symbol"/> in the loaded library; a library that lacks it is not Open MPI.</summary>
    public static IntPtr Export(string symbol)
    {
        var handle = MpiLibrary.Load();
        return NativeLibrary.TryGetExport(handle, symbol, out var address) ? address
            : throw new MpiLibraryNotFoundException(
                $"{MpiLibrary.Location ?? MpiLibrary.SoName} has no symbol {symbol}: it is not Open MPI (MPICH and its relatives name MPI_COMM_WORLD by an integer, which these bindings do not speak)");
    }
}
