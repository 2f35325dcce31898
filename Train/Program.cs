using System.CommandLine;
using StaticGraph.Train.Commands;

namespace StaticGraph.Train;

/// <summary>The command line: train, eval, export, recipes, data, bench, device-check.</summary>
public static class EntryPoint
{
    /// <summary>Parses the arguments and runs the chosen command; errors are one line and a non-zero exit code.</summary>
    public static int Main(string[] args)
    {
        var root = new RootCommand("Static-graph CNN training on the CPU (and cuDNN when a GPU is present).");
        root.Subcommands.Add(TrainCommand.Create());
        root.Subcommands.Add(EvalCommand.Create());
        root.Subcommands.Add(ExportCommand.Create());
        root.Subcommands.Add(RecipesCommand.Create());
        root.Subcommands.Add(DataCommand.Create());
        root.Subcommands.Add(BenchCommand.Create());
        root.Subcommands.Add(DeviceCheckCommand.Create());
        return root.Parse(args).Invoke();
    }
}
