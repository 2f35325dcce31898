using System.CommandLine;
using StaticGraph.Checkpoints;
using StaticGraph.Train.Training;

namespace StaticGraph.Train.Commands;

/// <summary>`eval`: test loss and accuracy of a checkpoint written by `train`.</summary>
public static class EvalCommand
{
    /// <summary>The command.</summary>
    public static Command Create()
    {
        var checkpoint = new Option<string>("--checkpoint") { Description = "A checkpoint written by train, or the folder it wrote it to", Required = true };
        var dataDir = new Option<string?>("--data-dir") { Description = "Folder holding the data set files" };
        var threads = new Option<int>("--threads") { Description = "CPU threads (0: all cores)" };
        var testLimit = new Option<int>("--test-limit") { Description = "Evaluate on the first N test images only (0: all)" };
        var command = new Command("eval", "Evaluate a checkpoint on the test split") { checkpoint, dataDir, threads, testLimit };
        command.SetAction(r => CommandErrors.Guard(() =>
        {
            using var session = CheckpointSession.Open(r.GetValue(checkpoint)!, r.GetValue(dataDir), r.GetValue(threads), out var test);
            if (r.GetValue(testLimit) > 0) test = test.Take(r.GetValue(testLimit));
            using var evaluator = new Evaluator(session);
            var (loss, accuracy) = evaluator.Evaluate(test);
            Console.WriteLine($"test loss {loss:F4} accuracy {accuracy * 100:F2}% ({test.Count} images)");
            return 0;
        }));
        return command;
    }
}
