using System.CommandLine;
using StaticGraph.Checkpoints;
using StaticGraph.Onnx;

namespace StaticGraph.Train.Commands;

/// <summary>
/// `export`: the inference form of a trained model, in one of the formats of docs/export.md — `sgck` (our
/// own: graph.txt, graph.dot and weights.sgck) or `onnx` (model.onnx, for ONNX Runtime and ML.NET). The
/// model is built in memory first, so a model that cannot be exported writes nothing.
/// </summary>
public static class ExportCommand
{
    /// <summary>The file the onnx format writes into the output folder.</summary>
    public const string OnnxFileName = "model.onnx";

    /// <summary>The command.</summary>
    public static Command Create()
    {
        var checkpoint = new Option<string>("--checkpoint") { Description = "A checkpoint written by train, or the folder it wrote it to", Required = true };
        var outDir = new Option<string>("--out") { Description = "Output folder", Required = true };
        var dataDir = new Option<string?>("--data-dir") { Description = "Folder holding the data set files (for the image geometry and normalisation)" };
        var format = new Option<string>("--format") { Description = "sgck (graph.txt, graph.dot, weights.sgck) or onnx (model.onnx)", DefaultValueFactory = _ => "sgck" };
        var command = new Command("export", "Write the inference graph and weights") { checkpoint, outDir, dataDir, format };
        command.SetAction(r => CommandErrors.Guard(() =>
        {
            var kind = r.GetValue(format)!;
            if (kind is not ("sgck" or "onnx")) throw new ArgumentException($"--format must be sgck or onnx, got '{kind}'");
            using var session = CheckpointSession.Open(r.GetValue(checkpoint)!, r.GetValue(dataDir), 1, out var test);
            var dir = r.GetValue(outDir)!;
            var program = session.InferenceProgram;
            if (kind == "onnx")
            {
                var options = new OnnxExportOptions
                {
                    NormalizeMean = test.Mean,
                    NormalizeStd = test.Std,
                    Metadata = new Dictionary<string, string> { ["classes"] = test.ClassCount.ToString(System.Globalization.CultureInfo.InvariantCulture) },
                };
                var bytes = OnnxExporter.Export(program, session.Inference, options);
                Directory.CreateDirectory(dir);
                var path = Path.Combine(dir, OnnxFileName);
                WriteAtomically(path, bytes);
                Console.WriteLine($"exported {program.Nodes.Count} nodes as ONNX opset {OnnxExporter.OpsetVersion} to {Path.GetFullPath(path)} ({bytes.Length / (1024.0 * 1024.0):F1} MiB)");
                return 0;
            }
            Directory.CreateDirectory(dir);
            File.WriteAllText(Path.Combine(dir, "graph.txt"), program.ToString());
            File.WriteAllText(Path.Combine(dir, "graph.dot"), GraphPrinter.ToDot(program));
            CheckpointFile.Save(Path.Combine(dir, "weights.sgck"), session.Inference, program, 0);
            Console.WriteLine($"exported {program.Nodes.Count} nodes and {program.Variables.Count} variables to {Path.GetFullPath(dir)}");
            return 0;
        }));
        return command;
    }

    private static void WriteAtomically(string path, byte[] bytes)
    {
        var temp = path + ".tmp";
        try
        {
            File.WriteAllBytes(temp, bytes);
            File.Move(temp, path, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }
}
