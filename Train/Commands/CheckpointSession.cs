using StaticGraph.Checkpoints;
using StaticGraph.Data;
using StaticGraph.Train.Training;

namespace StaticGraph.Train.Commands;

/// <summary>Rebuilds the model a checkpoint was trained with and loads its variables.</summary>
public static class CheckpointSession
{
    /// <summary>
    /// The session with the checkpoint at <paramref name="path"/> loaded (a checkpoint file, or the folder <c>train</c>
    /// wrote one to, as <c>train --resume</c> takes), and the test split of its data set.
    /// </summary>
    public static ModelSession Open(string path, string? dataDir, int threads, out ImageDataset test)
    {
        path = FileOf(path);
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

    /// <summary>The checkpoint file <paramref name="path"/> names: itself, or the one <c>train</c> writes in that folder.</summary>
    private static string FileOf(string path)
    {
        if (!Directory.Exists(path)) return path;
        var file = Trainer.CheckpointIn(path);
        return File.Exists(file) ? file : throw new FileNotFoundException($"{path}: a folder without {Trainer.CheckpointName} (train writes its checkpoint there)");
    }
}
