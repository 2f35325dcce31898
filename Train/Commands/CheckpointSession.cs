using StaticGraph.Checkpoints;
using StaticGraph.Data;
using StaticGraph.Train.Training;

namespace StaticGraph.Train.Commands;

/// <summary>Rebuilds the model a checkpoint was trained with and loads its variables.</summary>
public static class CheckpointSession
{
    /// <summary>The session with the checkpoint loaded, and the test split of its data set.</summary>
    public static ModelSession Open(string path, string? dataDir, int threads, out ImageDataset test)
    {
        var saved = CheckpointFile.Read(path);
        var options = Trainer.OptionsOf(saved) with { Threads = threads };
        var (train, testSplit) = DatasetCatalog.Load(options.Dataset, dataDir ?? options.DataDir);
        test = testSplit;
        var session = ModelSession.ForRun(options, train, 1);
        try
        {
            CheckpointFile.Load(path, session.Training, session.TrainingProgram);
            return session;
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }
}
