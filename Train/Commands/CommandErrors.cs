using StaticGraph.Checkpoints;
using StaticGraph.Data;
using StaticGraph.Distributed;
using StaticGraph.Distributed.Mpi;
using StaticGraph.Onnx;
using StaticGraph.Train.Training;

namespace StaticGraph.Train.Commands;

/// <summary>Turns the errors a user can cause into one clear line and exit code 2, without a stack trace.</summary>
public static class CommandErrors
{
    /// <summary>
    /// Runs <paramref name="body"/>, reporting expected failures on stderr. In a run of several ranks, a failure every rank
    /// meets alike (<see cref="CollectiveException"/>) is printed by rank 0 only, so N ranks print one line, not N.
    /// </summary>
    public static int Guard(Func<int> body, int rank = 0)
    {
        ArgumentNullException.ThrowIfNull(body);
        try
        {
            return body();
        }
        catch (Exception e) when (e is ArgumentException or DatasetNotFoundException or DataFormatException
                                      or GraphBuildException or CheckpointException or TrainingDivergedException
                                      or IOException or UnauthorizedAccessException or OnnxExportException or FetchException
                                      or CollectiveException or PeerLostException or MpiException)
        {
            if (e is not CollectiveException || rank == 0) Console.Error.WriteLine("error: " + e.Message);
            return 2;
        }
    }
}
