namespace StaticGraph.Regularizers;

/// <summary>
/// What the chosen batch regularizers make of the objective, collected as each adds itself: the batch regularizers in
/// their order, the label smoothing, and (Dual-Cutout) an objective of another form around them.
/// </summary>
public sealed class ObjectiveRecipe
{
    private readonly List<(int Order, IBatchRegularizer Regularizer)> _regularizers = [];
    private Func<IReadOnlyList<IBatchRegularizer>, double, ITrainingObjective>? _objective;

    /// <summary>The cross-entropy's label smoothing eps.</summary>
    public double LabelSmoothing { get; set; }

    /// <summary>Adds a batch regularizer at <paramref name="order"/> (ties keep the order of adding).</summary>
    public void Add(int order, IBatchRegularizer regularizer) => _regularizers.Add((order, regularizer ?? throw new ArgumentNullException(nameof(regularizer))));

    /// <summary>Replaces cross-entropy by <paramref name="make"/>(regularizers, label smoothing).</summary>
    public void UseObjective(Func<IReadOnlyList<IBatchRegularizer>, double, ITrainingObjective> make) => _objective = make;

    /// <summary>The objective: cross-entropy (or the replacement) over the regularizers in order.</summary>
    public ITrainingObjective Build()
    {
        var ordered = _regularizers.Select((r, i) => (r, i)).OrderBy(p => p.r.Order).ThenBy(p => p.i).Select(p => p.r.Regularizer).ToList();
        return _objective is { } make ? make(ordered, LabelSmoothing) : new CrossEntropyObjective(ordered, LabelSmoothing);
    }
}
