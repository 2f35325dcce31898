using System.CommandLine;
using StaticGraph.Regularizers;
using StaticGraph.Train.Commands;
using Xunit;

namespace StaticGraph.Tests.Walkthroughs;

/// <summary>
/// The walkthrough "add a regularizer" (docs/architecture.md), checked against every registered regularizer: its definition
/// sits in the file of the regularizer it describes, the command line offers an option per parameter without naming it
/// anywhere else, and its values are checked by its own parameters.
/// </summary>
public class AddARegularizerTests
{
    public static TheoryData<string> Names() => [.. RegularizerCatalog.All.Select(d => d.Name)];

    [Theory]
    [MemberData(nameof(Names))]
    public void Each_definition_lives_in_its_regularizers_file_and_nothing_else_names_it(string name)
    {
        var definition = RegularizerCatalog.Get(name);
        var root = Repository.Root();
        var files = Directory.GetFiles(Path.Combine(root, "Regularizers"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Where(f => File.ReadAllText(f).Contains($"class {definition.GetType().Name}", StringComparison.Ordinal))
            .ToList();
        var file = Assert.Single(files);
        Assert.DoesNotContain("Catalog", file, StringComparison.Ordinal);
        // The command line's code names no regularizer: its options come from the catalogue.
        foreach (var cli in Directory.GetFiles(Path.Combine(root, "Train"), "*.cs", SearchOption.AllDirectories).Where(f => !f.Contains("obj", StringComparison.Ordinal)))
            Assert.DoesNotContain("\"--" + name + "\"", File.ReadAllText(cli), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void The_command_line_offers_every_parameter_and_checks_it(string name)
    {
        var definition = RegularizerCatalog.Get(name);
        var flags = new RegularizerFlags();
        var command = new RootCommand();
        foreach (var option in flags.Options) command.Options.Add(option);
        foreach (var p in definition.Parameters)
        {
            var flag = RegularizerFlags.FlagOf(definition, p);
            Assert.Contains(flags.Options, o => o.Name == flag);
            var value = p.Kind switch
            {
                ParameterKind.Integer => "3",
                ParameterKind.Number => p.Max is double.PositiveInfinity ? "2" : "0.5",
                ParameterKind.Flag => "true",
                _ => p.Choices[0],
            };
            var settings = flags.Read(command.Parse([flag, value]));
            Assert.Equal([name], settings.Names);
            if (p.Kind is ParameterKind.Integer or ParameterKind.Number)
                Assert.Contains(flag, Assert.Throws<ArgumentException>(() => flags.Read(command.Parse([flag, "-5"]))).Message);
        }
    }
}
