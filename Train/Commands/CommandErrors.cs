using StaticGraph.Checkpoints;
using StaticGraph.Data;
using StaticGraph.Onnx;
using StaticGraph.Train.Training;

namespace StaticGraph.Train.Commands;

/// <summary>Turns the errors a user can cause into one clear line and exit code 2, without a stack trace.</summary>
public static class CommandErrors
{
    /// <summary>Runs <paramref name="body"/>, reporting expected failures on stderr.</summary>
    public static int Guard(Func<int> body)
    {
        try
        {
            return body();
        }
        catch (Exception e) when (e is ArgumentException or DatasetNotFoundException or DataFormatException
                                      or GraphBuildException or CheckpointException or TrainingDivergedException
                                      or IOException or UnauthorizedAccessException or OnnxExportException or FetchException)
        {
            Console.Error.WriteLine("error: " + e.Message);
            return 2;
        }
    }
}
