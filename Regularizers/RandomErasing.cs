namespace StaticGraph.Regularizers;

/// <summary>What Random Erasing writes into its rectangle.</summary>
public enum ErasingFill
{
    /// <summary>
    /// Independent standard normal values per pixel and channel ("fill" in the regularizer's
    /// scope): the statistics of normalized images, as the paper's random values are of raw ones.
    /// </summary>
    Normal,

    /// <summary>Zeros: the mean of normalized images.</summary>
    Zero,
}

/// <summary>
/// Random Erasing (Zhong et al., "Random Erasing Data Augmentation", 2017): with probability
/// <see cref="Probability"/> an image gets a rectangle whose area is a uniform fraction in
/// [<see cref="AreaMin"/>, <see cref="AreaMax"/>] of the image and whose aspect ratio h / w is
/// uniform in [<see cref="MinAspect"/>, 1 / MinAspect], placed wholly inside the image; up to
/// <see cref="MaxAttempts"/> rectangles are drawn until one fits, else the image is left alone.
/// The defaults are the paper's and hysts' (p = 0.5, area 0.02 to 0.4, aspect 0.3, 20 attempts).
/// The rectangles come from <see cref="RandomBuilder.ErasingBoxes"/> ("boxes" in a fresh scope
/// named <see cref="Name"/>). The erased pixels get <see cref="Fill"/>: by default independent
/// standard normal values per pixel and channel, which suit images normalized to zero mean and
/// unit variance (hysts' implementation writes one uniform [0, 1) value into the whole rectangle;
/// the paper uses per-pixel random values). Targets are unchanged; inference is the identity.
/// </summary>
/// <param name="p">The probability that an image is erased, in [0, 1].</param>
/// <param name="areaMin">The smallest area fraction, in (0, areaMax].</param>
/// <param name="areaMax">The largest area fraction, in [areaMin, 1].</param>
/// <param name="minAspect">The smallest aspect ratio h / w, in (0, 1]; the largest is its reciprocal.</param>
/// <param name="maxAttempts">The most rectangles drawn per image, at least 1.</param>
/// <param name="fill">What the erased pixels get.</param>
/// <param name="name">The scope of the draws.</param>
public sealed class RandomErasing(double p = 0.5, double areaMin = 0.02, double areaMax = 0.4, double minAspect = 0.3, int maxAttempts = 20,
    ErasingFill fill = ErasingFill.Normal, string name = "random_erasing") : IBatchRegularizer
{
    /// <summary>The probability that an image is erased.</summary>
    public double Probability { get; } = p >= 0 && p <= 1 ? p : throw new ArgumentOutOfRangeException(nameof(p), p, $"random erasing: expected a probability in [0, 1], got {Coefficients.Format(p)}");

    /// <summary>The smallest area fraction.</summary>
    public double AreaMin { get; } = areaMin > 0 && areaMin <= areaMax && areaMax <= 1 ? areaMin
        : throw new ArgumentOutOfRangeException(nameof(areaMin), $"random erasing: expected area fractions 0 < areaMin <= areaMax <= 1, got areaMin={Coefficients.Format(areaMin)} areaMax={Coefficients.Format(areaMax)}");

    /// <summary>The largest area fraction.</summary>
    public double AreaMax { get; } = areaMax;

    /// <summary>The smallest aspect ratio h / w.</summary>
    public double MinAspect { get; } = minAspect > 0 && minAspect <= 1 ? minAspect
        : throw new ArgumentOutOfRangeException(nameof(minAspect), minAspect, $"random erasing: expected a minimum aspect ratio in (0, 1], got {Coefficients.Format(minAspect)}");

    /// <summary>The most rectangles drawn per image.</summary>
    public int MaxAttempts { get; } = maxAttempts >= 1 ? maxAttempts
        : throw new ArgumentOutOfRangeException(nameof(maxAttempts), maxAttempts, $"random erasing: expected at least one attempt, got {maxAttempts}");

    /// <summary>What the erased pixels get.</summary>
    public ErasingFill Fill { get; } = Enum.IsDefined(fill) ? fill : throw new ArgumentOutOfRangeException(nameof(fill), fill, "random erasing: unknown fill");

    /// <summary>The scope of the draws.</summary>
    public string Name { get; } = name;

    /// <inheritdoc/>
    public TrainingBatch Apply(GraphBuilder b, TrainingBatch batch, int classes)
    {
        ArgumentNullException.ThrowIfNull(b);
        ArgumentNullException.ThrowIfNull(batch);
        batch.Validate($"random erasing '{b.Qualify(Name)}'", classes);
        var images = batch.Images;
        var (n, h, w) = (images.Shape[0], images.Shape[2], images.Shape[3]);
        using var _ = b.FreshScope(Name);
        var boxes = b.ErasingBoxes("boxes", n, h, w, Probability, AreaMin, AreaMax, MinAspect, MaxAttempts);
        var keep = b.BoxMask(boxes, h, w, images.DType);
        var erased = Fill == ErasingFill.Normal
            ? b.Where(keep, images, b.Normal("fill", images.Shape.ToArray(), 0, 1, images.DType))
            : b.Mul(images, keep);
        return batch with { Images = b.ModeSelect(erased, images) };
    }

    /// <inheritdoc/>
    public override string ToString() =>
        $"random-erasing(p={Coefficients.Format(Probability)}, area=[{Coefficients.Format(AreaMin)}, {Coefficients.Format(AreaMax)}], min-aspect={Coefficients.Format(MinAspect)}, attempts={MaxAttempts}, fill={Fill.ToString().ToLowerInvariant()})";
}

/// <summary>Random Erasing as users choose it: <c>random-erasing</c> with its probability <c>p</c> (<c>--random-erasing 0.5</c>).</summary>
public sealed class RandomErasingDefinition : IBatchRegularizerDefinition
{
    /// <inheritdoc/>
    public string Name => "random-erasing";

    /// <inheritdoc/>
    public string Summary => "Random Erasing (Zhong et al. 2017): a random rectangle of each image, with probability p, filled with noise";

    /// <inheritdoc/>
    public IReadOnlyList<RegularizerParameter> Parameters { get; } =
        [RegularizerParameter.Number("p", "the probability of erasing an image (0.5 in the paper)", 0, 1, primary: true)];

    /// <inheritdoc/>
    public int Order => 10;

    /// <inheritdoc/>
    public string? ExclusiveGroup => null;

    /// <inheritdoc/>
    public void AddTo(ObjectiveRecipe recipe, RegularizerArguments arguments) => recipe.Add(Order, new RandomErasing(arguments.Number("p")));
}
