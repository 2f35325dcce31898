using System.Globalization;

namespace StaticGraph.Distributed.Mpi;

/// <summary>
/// Whether this process was started by Open MPI's <c>mpirun</c>, read from the variables it sets for each rank
/// (<c>OMPI_COMM_WORLD_SIZE</c>, <c>OMPI_COMM_WORLD_RANK</c>, <c>OMPI_COMM_WORLD_LOCAL_RANK</c>), and the communicator of
/// the run: MPI is initialised only then, so a program started on its own never loads MPI.
/// </summary>
public static class MpiLaunch
{
    /// <summary>True when <c>mpirun</c> started this process.</summary>
    public static bool IsLaunched => Environment.GetEnvironmentVariable("OMPI_COMM_WORLD_SIZE") is not null;

    /// <summary>The rank among the ranks on this machine (which GPU a rank takes), 0 without <c>mpirun</c>.</summary>
    public static int LocalRank => Read("OMPI_COMM_WORLD_LOCAL_RANK") ?? 0;

    /// <summary>
    /// The run's communicator: MPI's world when launched by <c>mpirun</c> (initialising MPI), a world of one otherwise.
    /// Dispose it at the end of the run (it finalises MPI).
    /// </summary>
    public static ICommunicator Join(TimeSpan? peerTimeout = null) => IsLaunched ? MpiCommunicator.Initialize(peerTimeout) : SingleProcess.Instance;

    private static int? Read(string name) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : null;
}
