namespace StaticGraph.Regularizers;

/// <summary>
/// Every regularizer users can choose by name: the one registration each needs. Checks a run's choices (unknown names,
/// parameters, combinations that make no sense) and builds the objective from the batch regularizers among them.
/// </summary>
public static class RegularizerCatalog
{
    /// <summary>Every definition, in the order help lists them.</summary>
    public static IReadOnlyList<IRegularizerDefinition> All { get; } =
    [
        new CutoutDefinition(), new RandomErasingDefinition(), new MixupDefinition(), new CutMixDefinition(), new RicapDefinition(),
        new DualCutoutDefinition(), new LabelSmoothingDefinition(),
        new ShakeShakeDefinition(), new ShakeDropDefinition(), new StochasticDepthDefinition(), new DropActivationDefinition(), new DropoutDefinition(),
    ];

    /// <summary>The definition named <paramref name="name"/>; unknown names list the known ones.</summary>
    public static IRegularizerDefinition Get(string name) =>
        All.FirstOrDefault(d => d.Name == name) ?? throw new ArgumentException($"unknown regularizer '{name}'; known: {string.Join(", ", All.Select(d => d.Name))}");

    /// <summary>
    /// Checks <paramref name="settings"/>: every name known, every parameter known and in range, no two regularizers
    /// that cannot be combined. Throws <see cref="ArgumentException"/> with one line naming what is wrong.
    /// </summary>
    public static void Check(RegularizerSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        foreach (var name in settings.Names) settings.Arguments(name); // unknown names and bad parameters first
        var chosen = All.Where(d => settings.Has(d.Name)).ToList(); // then in the catalogue's order, as messages list them
        var batch = chosen.OfType<IBatchRegularizerDefinition>().ToList();
        foreach (var group in batch.Where(d => d.ExclusiveGroup is not null).GroupBy(d => d.ExclusiveGroup!))
        {
            if (group.Count() < 2) continue;
            var members = All.OfType<IBatchRegularizerDefinition>().Where(d => d.ExclusiveGroup == group.Key).Select(d => d.Name).ToList();
            throw new ArgumentException(
                $"{string.Join(" and ", group.Select(d => d.Name))} cannot be combined: {string.Join(", ", members.Take(members.Count - 1))} and {members[^1]} each {group.Key}; choose at most one");
        }
        foreach (var d in batch)
            foreach (var (other, reason) in d.Excludes)
                if (settings.Has(other)) throw new ArgumentException($"{d.Name} and {other} cannot be combined: {reason}");
    }

    /// <summary>The objective the batch regularizers of <paramref name="settings"/> make (plain cross-entropy when there are none).</summary>
    public static ITrainingObjective Objective(RegularizerSettings settings)
    {
        Check(settings);
        var recipe = new ObjectiveRecipe();
        foreach (var d in settings.Names.Select(Get).OfType<IBatchRegularizerDefinition>()) d.AddTo(recipe, settings.Arguments(d.Name)!);
        return recipe.Build();
    }

    /// <summary>The checked arguments of <paramref name="definition"/> given <paramref name="values"/> (defaults filled in).</summary>
    internal static RegularizerArguments Check(IRegularizerDefinition definition, IReadOnlyDictionary<string, string> values)
    {
        var checkedValues = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in values)
        {
            var p = definition.Parameters.FirstOrDefault(p => p.Name == name)
                ?? throw new ArgumentException($"{definition.Name} has no parameter '{name}' (its parameters: {string.Join(", ", definition.Parameters.Select(p => p.Name))})");
            checkedValues[name] = p.Check(definition.Name, value);
        }
        foreach (var p in definition.Parameters.Where(p => !checkedValues.ContainsKey(p.Name)))
            checkedValues[p.Name] = p.Default ?? throw new ArgumentException($"{definition.Name}: {p.Name} must be given ({p.Accepts})");
        var arguments = new RegularizerArguments(definition.Name, checkedValues);
        definition.Check(arguments);
        return arguments;
    }
}
