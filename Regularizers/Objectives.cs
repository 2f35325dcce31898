namespace StaticGraph.Regularizers;

/// <summary>
/// What a training step minimises, built around a model: the batch regularizers, the model
/// applied to the (possibly several) views of the batch, and the loss. The trainer builds it once
/// per graph; its logits serve training accuracy and, in an inference program, evaluation (every
/// regularizer is the identity there).
/// </summary>
public interface ITrainingObjective
{
    /// <summary>
    /// Builds the loss (a scalar) and the logits [N, <paramref name="classes"/>] for
    /// <paramref name="images"/> [N, C, H, W] and <paramref name="labels"/> (i32 [N]).
    /// <paramref name="model"/> maps images to logits and is called exactly once (its parameters are
    /// named, so a second call would clash).
    /// </summary>
    (Node Loss, Node Logits) Build(GraphBuilder b, Func<Node, Node> model, Node images, Node labels, int classes);
}

/// <summary>
/// Mean softmax cross-entropy of the model's logits on the regularized batch, the regularizers
/// applied in order (e.g. Random Erasing, Cutout, then one of Mixup / CutMix / RICAP), with label
/// smoothing eps inside the loss. The logits returned are those of the regularized images.
/// </summary>
/// <param name="regularizers">The batch regularizers, applied in order; empty for plain cross-entropy.</param>
/// <param name="labelSmoothing">The loss's label smoothing eps, in [0, 1).</param>
public sealed class CrossEntropyObjective(IReadOnlyList<IBatchRegularizer> regularizers, double labelSmoothing = 0) : ITrainingObjective
{
    /// <summary>The batch regularizers, in the order they are applied.</summary>
    public IReadOnlyList<IBatchRegularizer> Regularizers { get; } = regularizers is null ? throw new ArgumentNullException(nameof(regularizers))
        : regularizers.Any(r => r is null) ? throw new ArgumentException("a regularizer is null", nameof(regularizers)) : [.. regularizers];

    /// <summary>The loss's label smoothing eps.</summary>
    public double LabelSmoothing { get; } = labelSmoothing >= 0 && labelSmoothing < 1 ? labelSmoothing
        : throw new ArgumentOutOfRangeException(nameof(labelSmoothing), labelSmoothing, $"cross-entropy: expected a label smoothing in [0, 1), got {Coefficients.Format(labelSmoothing)}");

    /// <inheritdoc/>
    public (Node Loss, Node Logits) Build(GraphBuilder b, Func<Node, Node> model, Node images, Node labels, int classes)
    {
        ArgumentNullException.ThrowIfNull(b);
        ArgumentNullException.ThrowIfNull(model);
        var batch = new TrainingBatch(images, labels);
        batch.Validate("cross-entropy objective", classes);
        foreach (var regularizer in Regularizers) batch = regularizer.Apply(b, batch, classes);
        var logits = Objective.Logits(model, batch.Images, classes);
        var loss = b.SoftmaxCrossEntropy(logits, Objective.TargetsFor(b, batch.Targets, logits), LabelSmoothing);
        return (loss, logits);
    }

    /// <summary>A description such as "cross-entropy + cutout(size=16) + mixup(alpha=1), label smoothing 0.1".</summary>
    public override string ToString() =>
        "cross-entropy" + string.Concat(Regularizers.Select(r => " + " + r))
        + (LabelSmoothing > 0 ? $", label smoothing {Coefficients.Format(LabelSmoothing)}" : "");
}

/// <summary>What <see cref="DualCutoutObjective"/>'s consistency term compares.</summary>
public enum DualCutoutConsistency
{
    /// <summary>The two views' softmax probabilities.</summary>
    Softmax,

    /// <summary>The two views' logits, as hysts' pytorch_image_classification does (its MSE takes the raw model outputs).</summary>
    Logits,
}

/// <summary>
/// Dual-Cutout (Kawaguchi et al., "Generalization in Machine Learning via Analytical Learning
/// Theory", 2018; hysts' dual-cutout loss): two independent Cutout views of the batch ("view1",
/// "view2" in a fresh scope named "dual_cutout" unless renamed), concatenated along the batch axis so the model
/// sees 2N images in one pass; the loss is
/// <c>0.5 * (CE(view1) + CE(view2)) + alpha * mean((s1 - s2)^2)</c>, the mean over the N x K
/// entries, s the softmax outputs (or the logits, see <see cref="Consistency"/>). The 0.5 is
/// hysts' (the mean cross-entropy over the 2N rows). The logits returned are view 1's. In an
/// inference program both views are the images themselves, so evaluating those logits runs the
/// model on 2N images: correct, at twice the cost.
/// </summary>
/// <param name="alpha">The consistency weight, at least 0 (0.1 in hysts).</param>
/// <param name="size">The cutout square's side (16 for CIFAR).</param>
/// <param name="inside">Keep the squares wholly inside the image.</param>
/// <param name="labelSmoothing">The cross-entropy's label smoothing eps, in [0, 1).</param>
/// <param name="before">Batch regularizers applied before the two views (e.g. Random Erasing); null for none.</param>
/// <param name="consistency">What the consistency term compares.</param>
/// <param name="name">The scope of the two views' draws.</param>
public sealed class DualCutoutObjective(double alpha = 0.1, int size = 16, bool inside = false, double labelSmoothing = 0,
    IReadOnlyList<IBatchRegularizer>? before = null, DualCutoutConsistency consistency = DualCutoutConsistency.Softmax,
    string name = "dual_cutout") : ITrainingObjective
{
    /// <summary>The consistency weight.</summary>
    public double Alpha { get; } = alpha >= 0 && double.IsFinite(alpha) ? alpha
        : throw new ArgumentOutOfRangeException(nameof(alpha), alpha, $"dual-cutout: expected alpha >= 0, got {Coefficients.Format(alpha)}");

    /// <summary>The cutout square's side.</summary>
    public int Size { get; } = size >= 1 ? size : throw new ArgumentOutOfRangeException(nameof(size), size, $"dual-cutout: the square's side must be at least 1, got {size}");

    /// <summary>Whether the squares lie wholly inside the image.</summary>
    public bool Inside { get; } = inside;

    /// <summary>The cross-entropy's label smoothing eps.</summary>
    public double LabelSmoothing { get; } = labelSmoothing >= 0 && labelSmoothing < 1 ? labelSmoothing
        : throw new ArgumentOutOfRangeException(nameof(labelSmoothing), labelSmoothing, $"dual-cutout: expected a label smoothing in [0, 1), got {Coefficients.Format(labelSmoothing)}");

    /// <summary>Batch regularizers applied before the two views.</summary>
    public IReadOnlyList<IBatchRegularizer> Before { get; } = before is null ? [] : [.. before];

    /// <summary>What the consistency term compares.</summary>
    public DualCutoutConsistency Consistency { get; } = Enum.IsDefined(consistency) ? consistency
        : throw new ArgumentOutOfRangeException(nameof(consistency), consistency, "dual-cutout: unknown consistency");

    /// <summary>The scope of the two views' draws.</summary>
    public string Name { get; } = name;

    /// <inheritdoc/>
    public (Node Loss, Node Logits) Build(GraphBuilder b, Func<Node, Node> model, Node images, Node labels, int classes)
    {
        ArgumentNullException.ThrowIfNull(b);
        ArgumentNullException.ThrowIfNull(model);
        var batch = new TrainingBatch(images, labels);
        batch.Validate("dual-cutout objective", classes);
        foreach (var regularizer in Before) batch = regularizer.Apply(b, batch, classes);
        var n = batch.BatchSize;

        TrainingBatch view1, view2;
        using (b.FreshScope(Name))
        {
            view1 = new Cutout(Size, Inside, "view1").Apply(b, batch, classes);
            view2 = new Cutout(Size, Inside, "view2").Apply(b, batch, classes);
        }
        var logits = Objective.Logits(model, b.Concat(0, view1.Images, view2.Images), classes, 2 * n);
        var targets = Objective.TargetsFor(b, batch.Targets, logits);
        var crossEntropy = b.SoftmaxCrossEntropy(logits, b.Concat(0, targets, targets), LabelSmoothing);
        var (logits1, logits2) = (b.Slice(logits, 0, 0, n), b.Slice(logits, 0, n, 2 * n));
        var (s1, s2) = Consistency == DualCutoutConsistency.Softmax ? (b.Softmax(logits1), b.Softmax(logits2)) : (logits1, logits2);
        var loss = Alpha == 0 ? crossEntropy : b.Add(crossEntropy, b.Scale(b.MeanAll(b.Square(b.Sub(s1, s2))), Alpha));
        return (loss, logits1);
    }

    /// <summary>A description such as "dual-cutout(size=16, alpha=0.1, softmax)".</summary>
    public override string ToString() =>
        string.Concat(Before.Select(r => r + " + ")) + $"dual-cutout(size={Size}{(Inside ? ", inside" : "")}, alpha={Coefficients.Format(Alpha)}, {Consistency.ToString().ToLowerInvariant()})"
        + (LabelSmoothing > 0 ? $", label smoothing {Coefficients.Format(LabelSmoothing)}" : "");
}

/// <summary>Checks shared by the objectives.</summary>
internal static class Objective
{
    /// <summary>The model's logits, checked to be [rows, classes] of a floating-point dtype.</summary>
    public static Node Logits(Func<Node, Node> model, Node images, int classes, int? rows = null)
    {
        var logits = model(images) ?? throw new InvalidOperationException("the model returned no logits");
        var n = rows ?? images.Shape[0];
        if (!logits.DType.IsFloat() || logits.Shape != new Shape(n, classes))
            throw new GraphBuildException($"the model's logits must be [{n},{classes}] (images {images.Type}), got {logits}: {logits.Type}");
        return logits;
    }

    /// <summary>Class indices as they are; soft targets cast to the logits' dtype (the loss wants them alike).</summary>
    public static Node TargetsFor(GraphBuilder b, Node targets, Node logits) =>
        targets.DType == DType.I32 ? targets : b.Cast(targets, logits.DType);
}

/// <summary>Dual-Cutout as users choose it: <c>dual-cutout</c> with its consistency weight <c>alpha</c>, the squares' <c>size</c> and <c>inside</c>.</summary>
public sealed class DualCutoutDefinition : IBatchRegularizerDefinition
{
    /// <inheritdoc/>
    public string Name => "dual-cutout";

    /// <inheritdoc/>
    public string Summary => "Dual-Cutout (Kawaguchi et al. 2018): two Cutout views per image and a consistency term between their predictions";

    /// <inheritdoc/>
    public IReadOnlyList<RegularizerParameter> Parameters { get; } =
    [
        RegularizerParameter.Number("alpha", "the consistency weight (0.1 in hysts' runs)", 0, double.PositiveInfinity, primary: true),
        RegularizerParameter.Integer("size", "the squares' side", min: 1, @default: 16),
        RegularizerParameter.Flag("inside", "keep the squares wholly inside the image"),
    ];

    /// <inheritdoc/>
    public int Order => 40;

    /// <inheritdoc/>
    public string? ExclusiveGroup => BatchMixing.Group;

    /// <inheritdoc/>
    public void AddTo(ObjectiveRecipe recipe, RegularizerArguments arguments)
    {
        var (alpha, size, inside) = (arguments.Number("alpha"), arguments.Integer("size"), arguments.Flag("inside"));
        recipe.UseObjective((before, labelSmoothing) => new DualCutoutObjective(alpha, size, inside, labelSmoothing, before));
    }
}
