namespace StaticGraph.Regularizers;

/// <summary>
/// Label smoothing (Szegedy et al., "Rethinking the Inception Architecture", 2016) as a batch
/// regularizer: targets become <c>(1 - eps) * t + eps / K</c>. Inference is the identity (one-hot
/// targets). A plain cross-entropy objective can smooth inside the loss instead
/// (<see cref="CrossEntropyObjective"/>'s labelSmoothing); use one or the other.
/// </summary>
/// <param name="epsilon">The smoothing eps, in [0, 1) (0.1 in the paper and hysts).</param>
public sealed class LabelSmoothing(double epsilon = 0.1) : IBatchRegularizer
{
    /// <summary>The smoothing eps.</summary>
    public double Epsilon { get; } = epsilon >= 0 && epsilon < 1 ? epsilon
        : throw new ArgumentOutOfRangeException(nameof(epsilon), epsilon, $"label smoothing: expected eps in [0, 1), got {Coefficients.Format(epsilon)}");

    /// <inheritdoc/>
    public TrainingBatch Apply(GraphBuilder b, TrainingBatch batch, int classes)
    {
        ArgumentNullException.ThrowIfNull(b);
        ArgumentNullException.ThrowIfNull(batch);
        batch.Validate("label smoothing", classes);
        var targets = batch.SoftTargets(b, classes);
        var smoothed = b.AddScalar(b.Scale(targets, 1 - Epsilon), Epsilon / classes);
        return batch with { Targets = b.ModeSelect(smoothed, targets) };
    }

    /// <inheritdoc/>
    public override string ToString() => $"label-smoothing(eps={Coefficients.Format(Epsilon)})";
}

/// <summary>Label smoothing of the cross-entropy as users choose it: <c>label-smoothing</c> with its <c>eps</c> (<c>--label-smoothing 0.1</c>).</summary>
public sealed class LabelSmoothingDefinition : IBatchRegularizerDefinition
{
    /// <inheritdoc/>
    public string Name => "label-smoothing";

    /// <inheritdoc/>
    public string Summary => "label smoothing (Szegedy et al. 2016) inside the cross-entropy: targets (1 - eps) one-hot + eps uniform";

    /// <inheritdoc/>
    public IReadOnlyList<RegularizerParameter> Parameters { get; } =
        [RegularizerParameter.Number("eps", "the smoothing (0.1 is usual)", 0, 1, maxExclusive: true, primary: true)];

    /// <inheritdoc/>
    public int Order => 100;

    /// <inheritdoc/>
    public string? ExclusiveGroup => null;

    /// <inheritdoc/>
    public void AddTo(ObjectiveRecipe recipe, RegularizerArguments arguments) => recipe.LabelSmoothing = arguments.Number("eps");
}
