namespace StaticGraph.Regularizers;

/// <summary>
/// The definition of a model regularizer set by one probability (ShakeDrop's and stochastic depth's final survival,
/// Drop-Activation's and dropout's probability): its option (<c>--stochastic-depth 0.5</c>) and the value the models read.
/// </summary>
/// <param name="name">The name users choose it by.</param>
/// <param name="summary">What it does, with its source.</param>
/// <param name="parameter">The probability's name.</param>
/// <param name="description">What the probability is, with its usual value.</param>
/// <param name="maxExclusive">Whether 1 itself is refused (dropout of everything).</param>
public abstract class ModelProbabilityDefinition(string name, string summary, string parameter, string description, bool maxExclusive = false)
    : IModelRegularizerDefinition
{
    /// <inheritdoc/>
    public string Name => name;

    /// <inheritdoc/>
    public string Summary => summary;

    /// <inheritdoc/>
    public IReadOnlyList<RegularizerParameter> Parameters { get; } =
        [RegularizerParameter.Number(parameter, description, 0, 1, maxExclusive: maxExclusive, primary: true)];

    /// <summary>The probability <paramref name="settings"/> ask for, or null when the regularizer is off.</summary>
    protected static double? ValueIn(RegularizerSettings settings, string name, string parameter) => settings?.Arguments(name)?.Number(parameter);
}
