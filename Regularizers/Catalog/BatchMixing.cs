namespace StaticGraph.Regularizers;

/// <summary>The regularizers that replace a batch's images and targets wholesale (Mixup, CutMix, RICAP, Dual-Cutout): at most one per run.</summary>
public static class BatchMixing
{
    /// <summary>Their exclusive group, worded as the reason they cannot be combined.</summary>
    public const string Group = "replace the batch's images and targets in their own way";
}

/// <summary>
/// The definition of a batch mixer set by one positive Beta parameter (Mixup's and CutMix's alpha, RICAP's beta): its
/// option (<c>--mixup 1</c>), its place after the per-image augmentations, and its exclusivity with the other mixers.
/// </summary>
/// <param name="name">The name users choose it by.</param>
/// <param name="summary">What it does, with its source.</param>
/// <param name="parameter">The Beta parameter's name.</param>
/// <param name="description">What the parameter is, with its usual value.</param>
/// <param name="create">The regularizer for a parameter value.</param>
public abstract class BatchMixerDefinition(string name, string summary, string parameter, string description, Func<double, IBatchRegularizer> create)
    : IBatchRegularizerDefinition
{
    /// <inheritdoc/>
    public string Name => name;

    /// <inheritdoc/>
    public string Summary => summary;

    /// <inheritdoc/>
    public IReadOnlyList<RegularizerParameter> Parameters { get; } =
        [RegularizerParameter.Number(parameter, description, 0, double.PositiveInfinity, minExclusive: true, primary: true)];

    /// <inheritdoc/>
    public int Order => 30;

    /// <inheritdoc/>
    public string? ExclusiveGroup => BatchMixing.Group;

    /// <inheritdoc/>
    public void AddTo(ObjectiveRecipe recipe, RegularizerArguments arguments)
    {
        ArgumentNullException.ThrowIfNull(recipe);
        ArgumentNullException.ThrowIfNull(arguments);
        recipe.Add(Order, create(arguments.Number(parameter)));
    }
}
