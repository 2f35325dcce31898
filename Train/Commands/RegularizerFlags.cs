using System.CommandLine;
using StaticGraph.Regularizers;

namespace StaticGraph.Train.Commands;

/// <summary>
/// The command line's regularizer options, made from the catalogue (<see cref="RegularizerCatalog"/>): a regularizer's
/// primary parameter is its own option (<c>--cutout 16</c>), each other parameter an option of its own
/// (<c>--cutout-inside</c>, <c>--shake-forward even</c>). A new regularizer gets its options without an edit here.
/// </summary>
public sealed class RegularizerFlags
{
    private readonly List<(IRegularizerDefinition Definition, RegularizerParameter Parameter, Option Option)> _options = [];

    /// <summary>Makes an option for every parameter of every regularizer of the catalogue.</summary>
    public RegularizerFlags()
    {
        foreach (var d in RegularizerCatalog.All)
            foreach (var p in d.Parameters)
            {
                var name = FlagOf(d, p);
                var description = p.Primary ? $"{d.Summary}; {p.Description} ({p.Accepts})" : $"{d.Name}: {p.Description} ({p.Accepts})";
                Option option = p.Kind == ParameterKind.Flag
                    ? new Option<bool?>(name) { Description = description, Arity = ArgumentArity.ZeroOrOne }
                    : new Option<string?>(name) { Description = description };
                _options.Add((d, p, option));
            }
    }

    /// <summary>Every option, for adding to a command.</summary>
    public IEnumerable<Option> Options => _options.Select(o => o.Option);

    /// <summary>The option that sets <paramref name="parameter"/> of <paramref name="definition"/>.</summary>
    public static string FlagOf(IRegularizerDefinition definition, RegularizerParameter parameter) =>
        parameter.Primary ? $"--{definition.Name}" : $"--{definition.Name}-{parameter.Name}";

    /// <summary>
    /// The regularizers the parsed command line asks for: each with an option given, with the values given (checked,
    /// so that a wrong value is one line naming its option).
    /// </summary>
    public RegularizerSettings Read(ParseResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var settings = RegularizerSettings.None;
        foreach (var (d, p, option) in _options)
        {
            var value = option switch
            {
                Option<bool?> flag => result.GetResult(flag) is null ? null : (result.GetValue(flag) ?? true) ? "true" : "false",
                Option<string?> text => result.GetValue(text),
                _ => null,
            };
            if (value is null) continue;
            try
            {
                p.Check(d.Name, value);
            }
            catch (ArgumentException e)
            {
                throw new ArgumentException($"{option.Name}: {e.Message}", e);
            }
            settings = settings.With(d.Name, null, (p.Name, value));
        }
        return settings;
    }
}
