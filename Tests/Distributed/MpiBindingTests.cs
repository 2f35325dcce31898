using System.Reflection;
using System.Runtime.InteropServices;
using StaticGraph.Distributed;
using StaticGraph.Distributed.Mpi;
using Xunit;

namespace StaticGraph.Tests.Distributed;

/// <summary>The Open MPI bindings against the installed library, and what a machine without it is told.</summary>
public class MpiBindingTests
{
    private static string? OpenMpiMissing()
    {
        try
        {
            MpiLibrary.Load();
            return null;
        }
        catch (MpiLibraryNotFoundException e)
        {
            return "Open MPI is not installed (apt-get install openmpi-bin libopenmpi-dev): " + e.Message;
        }
    }

    [Fact]
    public void A_missing_library_is_one_line_naming_it_and_every_place_searched()
    {
        var e = Assert.Throws<MpiLibraryNotFoundException>(() => MpiLibrary.Locate("libmpi-not-installed.so.99"));
        Assert.DoesNotContain('\n', e.Message);
        Assert.StartsWith("MPI library 'Open MPI' (libmpi-not-installed.so.99) not found; searched: ", e.Message);
        foreach (var place in new[] { "$STATICGRAPH_MPI_PATH", "the system loader path", "/usr/lib/x86_64-linux-gnu/openmpi/lib", "/usr/lib64/openmpi/lib", "/opt/openmpi/lib" })
            Assert.Contains(place, e.Message);
        Assert.Contains("apt-get install openmpi-bin libopenmpi-dev", e.Message);
    }

    [Fact]
    public void The_status_struct_has_open_mpis_layout()
    {
        // struct ompi_status_public_t { int MPI_SOURCE, MPI_TAG, MPI_ERROR, _cancelled; size_t _ucount; }
        Assert.Equal(24, Marshal.SizeOf<MpiStatus>());
        Assert.Equal(16, (int)Marshal.OffsetOf<MpiStatus>(nameof(MpiStatus.Count)));
    }

    [Fact]
    public void Every_bound_function_and_predefined_handle_is_in_the_installed_library()
    {
        if (OpenMpiMissing() is { } why) Assert.Skip(why);
        var handle = MpiLibrary.Load();
        var functions = typeof(MpiNative).GetMethods(BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly)
            .Where(m => m.GetCustomAttribute<LibraryImportAttribute>() is not null)
            .Select(m => m.GetCustomAttribute<LibraryImportAttribute>()!.EntryPoint ?? m.Name).ToList();
        Assert.True(functions.Count >= 15, $"only {functions.Count} bound functions were found");
        var missing = functions.Concat(["ompi_mpi_comm_world", "ompi_mpi_byte", "ompi_mpi_errors_return"])
            .Where(symbol => !NativeLibrary.TryGetExport(handle, symbol, out _)).ToList();
        Assert.True(missing.Count == 0, $"{MpiLibrary.Location} lacks: {string.Join(", ", missing)}");
        Assert.StartsWith("Open MPI v", MpiCommunicator.LibraryVersion());
    }

    [Fact]
    public void A_library_without_open_mpis_globals_is_named_as_not_open_mpi()
    {
        if (OpenMpiMissing() is { } why) Assert.Skip(why);
        var e = Assert.Throws<MpiLibraryNotFoundException>(() => MpiHandles.Export("mpich_comm_world_of_another_mpi"));
        Assert.Contains("it is not Open MPI", e.Message);
    }

    [Fact]
    public void Without_mpirun_a_run_is_a_world_of_one_and_never_loads_mpi()
    {
        if (MpiLaunch.IsLaunched) Assert.Skip("these tests run under mpirun");
        Assert.Same(SingleProcess.Instance, MpiLaunch.Join());
        Assert.Equal(0, MpiLaunch.LocalRank);
    }
}
