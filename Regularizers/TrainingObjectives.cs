namespace StaticGraph.Regularizers;

/// <summary>
/// The data-space regularization a training run asks for, as command-line options carry it.
/// Null (or false) leaves a regularizer off. <see cref="TrainingObjectives.FromOptions"/> checks
/// the combination and builds the objective.
/// </summary>
public sealed record RegularizerOptions
{
    /// <summary>Cutout's square side; null for no Cutout.</summary>
    public int? Cutout { get; init; }

    /// <summary>Keep Cutout's (and Dual-Cutout's) squares wholly inside the image.</summary>
    public bool CutoutInside { get; init; }

    /// <summary>Random Erasing's probability; null for no Random Erasing (the paper's value is 0.5).</summary>
    public double? RandomErasing { get; init; }

    /// <summary>Mixup's alpha; null for no Mixup (1 in hysts' runs).</summary>
    public double? Mixup { get; init; }

    /// <summary>CutMix's alpha; null for no CutMix (1 in the paper).</summary>
    public double? CutMix { get; init; }

    /// <summary>RICAP's beta; null for no RICAP (0.3 in the paper).</summary>
    public double? Ricap { get; init; }

    /// <summary>Dual-Cutout's consistency weight alpha; null for no Dual-Cutout (0.1 in hysts).</summary>
    public double? DualCutout { get; init; }

    /// <summary>Dual-Cutout's square side.</summary>
    public int DualCutoutSize { get; init; } = 16;

    /// <summary>The cross-entropy's label smoothing eps, in [0, 1); 0 for none (0.1 is usual).</summary>
    public double LabelSmoothing { get; init; }
}

/// <summary>Builds the training objective a run's options ask for, refusing combinations that make no sense.</summary>
public static class TrainingObjectives
{
    /// <summary>
    /// The objective for <paramref name="options"/>: <see cref="DualCutoutObjective"/> when
    /// Dual-Cutout is on, else <see cref="CrossEntropyObjective"/> with, in this order, Random
    /// Erasing, Cutout and the one label-mixing regularizer (Mixup, CutMix or RICAP), as hysts'
    /// pipeline applies per-image augmentations before batch mixing. Fails with an
    /// <see cref="ArgumentException"/> naming the options when a value is out of range, when more
    /// than one of Mixup, CutMix, RICAP and Dual-Cutout is on (each replaces the batch's images
    /// and targets in its own way), or when Cutout and Dual-Cutout are both on (Dual-Cutout already
    /// cuts out both of its views).
    /// </summary>
    public static ITrainingObjective FromOptions(RegularizerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Check(options);

        var mixers = new (string Name, bool On)[]
        {
            ("mixup", options.Mixup is not null), ("cutmix", options.CutMix is not null),
            ("ricap", options.Ricap is not null), ("dual-cutout", options.DualCutout is not null),
        }.Where(m => m.On).Select(m => m.Name).ToList();
        if (mixers.Count > 1)
            throw new ArgumentException(
                $"{string.Join(" and ", mixers)} cannot be combined: mixup, cutmix, ricap and dual-cutout each replace the batch's images and targets in their own way; choose at most one");
        if (options.DualCutout is not null && options.Cutout is not null)
            throw new ArgumentException("cutout and dual-cutout cannot be combined: dual-cutout already cuts out both of its views; drop cutout (set dual-cutout's size instead)");

        var before = new List<IBatchRegularizer>();
        if (options.RandomErasing is { } p) before.Add(new RandomErasing(p));
        if (options.DualCutout is { } alpha)
            return new DualCutoutObjective(alpha, options.DualCutoutSize, options.CutoutInside, options.LabelSmoothing, before);
        if (options.Cutout is { } size) before.Add(new Cutout(size, options.CutoutInside));
        if (options.Mixup is { } mixupAlpha) before.Add(new Mixup(mixupAlpha));
        if (options.CutMix is { } cutMixAlpha) before.Add(new CutMix(cutMixAlpha));
        if (options.Ricap is { } beta) before.Add(new Ricap(beta));
        return new CrossEntropyObjective(before, options.LabelSmoothing);
    }

    private static void Check(RegularizerOptions o)
    {
        if (o.Cutout is { } size && size < 1) throw new ArgumentException($"cutout: the square's side must be at least 1, got {size}");
        if (o.RandomErasing is { } p && !(p >= 0 && p <= 1)) throw new ArgumentException($"random erasing: the probability must be in [0, 1], got {Coefficients.Format(p)}");
        if (o.Mixup is { } mixup && !(mixup > 0 && double.IsFinite(mixup))) throw new ArgumentException($"mixup: alpha must be positive, got {Coefficients.Format(mixup)}");
        if (o.CutMix is { } cutmix && !(cutmix > 0 && double.IsFinite(cutmix))) throw new ArgumentException($"cutmix: alpha must be positive, got {Coefficients.Format(cutmix)}");
        if (o.Ricap is { } ricap && !(ricap > 0 && double.IsFinite(ricap))) throw new ArgumentException($"ricap: beta must be positive, got {Coefficients.Format(ricap)}");
        if (o.DualCutout is { } dual && !(dual >= 0 && double.IsFinite(dual))) throw new ArgumentException($"dual-cutout: alpha must be at least 0, got {Coefficients.Format(dual)}");
        if (o.DualCutout is not null && o.DualCutoutSize < 1) throw new ArgumentException($"dual-cutout: the square's side must be at least 1, got {o.DualCutoutSize}");
        if (!(o.LabelSmoothing >= 0 && o.LabelSmoothing < 1)) throw new ArgumentException($"label smoothing: eps must be in [0, 1), got {Coefficients.Format(o.LabelSmoothing)}");
    }
}
