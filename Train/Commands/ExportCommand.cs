using System.CommandLine;
using StaticGraph.Checkpoints;

namespace StaticGraph.Train.Commands;

/// <summary>
/// `export`: the inference graph and its weights in the documented forms of docs/export.md —
/// graph.txt (the listing), graph.dot (Graphviz) and weights.sgck (checkpoint format v1 holding
/// the inference program's variables only).
/// </summary>
public static class ExportCommand
{
    /// <summary>The command.</summary>
    public static Command Create()
    {
        var checkpoint = new Option<string>("--checkpoint") { Description = "A checkpoint written by train", Required = true };
        var outDir = new Option<string>("--out") { Description = "Output folder", Required = true };
        var dataDir = new Option<string?>("--data-dir") { Description = "Folder holding the data set files (for the image geometry)" };
        var command = new Command("export", "Write the inference graph and weights") { checkpoint, outDir, dataDir };
        command.SetAction(r => CommandErrors.Guard(() =>
        {
            using var session = CheckpointSession.Open(r.GetValue(checkpoint)!, r.GetValue(dataDir), 1, out _);
            var dir = r.GetValue(outDir)!;
            Directory.CreateDirectory(dir);
            var program = session.InferenceProgram;
            File.WriteAllText(Path.Combine(dir, "graph.txt"), program.ToString());
            File.WriteAllText(Path.Combine(dir, "graph.dot"), GraphPrinter.ToDot(program));
            CheckpointFile.Save(Path.Combine(dir, "weights.sgck"), session.Inference, program, 0);
            Console.WriteLine($"exported {program.Nodes.Count} nodes and {program.Variables.Count} variables to {Path.GetFullPath(dir)}");
            return 0;
        }));
        return command;
    }
}
