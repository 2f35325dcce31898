namespace StaticGraph.Cuda.Lowering;

/// <summary>
/// The dynamic loss-scale policy of FP16 training (PyTorch's <c>GradScaler</c> defaults): gradients are multiplied by S
/// where they become half (the incoming gradient of a backward convolution or GEMM) and divided by S where the product
/// comes back to f32, so that small gradients do not flush to zero in half's narrow range. S starts at 2^15; a step whose
/// half values overflowed (the control block's overflow flag) has its updates skipped and S halved; after
/// <see cref="GrowthInterval"/> consecutive good steps S doubles. S stays a power of two in [1, 2^24], so scaling and
/// unscaling are exact. As in PyTorch, a skipped step still counts: the step counter (and so the learning-rate schedule
/// and the random streams) advances, only the state updates are not applied. BF16 has f32's exponent range and needs none.
/// </summary>
public sealed class DynamicLossScale
{
    /// <summary>The first scale, 2^15.</summary>
    public const float DefaultInitialScale = 32768f;

    /// <summary>Good steps in a row before the scale doubles.</summary>
    public const int DefaultGrowthInterval = 2000;

    /// <summary>The smallest scale.</summary>
    public const float MinScale = 1f;

    /// <summary>The largest scale, 2^24.</summary>
    public const float MaxScale = 16777216f;

    /// <summary>A policy starting at <paramref name="initialScale"/> (a power of two in [<see cref="MinScale"/>, <see cref="MaxScale"/>]).</summary>
    public DynamicLossScale(float initialScale = DefaultInitialScale, int growthInterval = DefaultGrowthInterval)
    {
        if (!(initialScale is >= MinScale and <= MaxScale) || float.Log2(initialScale) % 1 != 0)
            throw new ArgumentOutOfRangeException(nameof(initialScale), initialScale, "the loss scale must be a power of two in [1, 2^24]");
        ArgumentOutOfRangeException.ThrowIfLessThan(growthInterval, 1);
        Scale = initialScale;
        GrowthInterval = growthInterval;
    }

    /// <summary>The policy as a checkpoint left it: scale <paramref name="scale"/> after <paramref name="goodSteps"/> good steps in a row.</summary>
    public static DynamicLossScale Resume(float scale, int goodSteps, int growthInterval = DefaultGrowthInterval)
    {
        var policy = new DynamicLossScale(scale, growthInterval);
        ArgumentOutOfRangeException.ThrowIfNegative(goodSteps);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(goodSteps, growthInterval);
        policy.GoodSteps = goodSteps;
        return policy;
    }

    private const string ScaleKey = "fp16_loss_scale", GoodStepsKey = "fp16_loss_scale_good_steps";

    /// <summary>The policy's state as text, for a checkpoint (<see cref="StaticGraph.Backend.IExecutable.SaveState"/>).</summary>
    public IReadOnlyDictionary<string, string> ToState() => new Dictionary<string, string>
    {
        [ScaleKey] = Scale.ToString("R", System.Globalization.CultureInfo.InvariantCulture),
        [GoodStepsKey] = GoodSteps.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    /// <summary>The policy <paramref name="state"/> (from <see cref="ToState"/>) describes, or <paramref name="fallback"/> when it holds none.</summary>
    public static DynamicLossScale FromState(IReadOnlyDictionary<string, string> state, DynamicLossScale fallback)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (!state.TryGetValue(ScaleKey, out var scale) || !state.TryGetValue(GoodStepsKey, out var good)) return fallback;
        return Resume(float.Parse(scale, System.Globalization.CultureInfo.InvariantCulture),
            int.Parse(good, System.Globalization.CultureInfo.InvariantCulture), fallback.GrowthInterval);
    }

    /// <summary>The scale S of the next step.</summary>
    public float Scale { get; private set; }

    /// <summary>Good steps in a row before S doubles.</summary>
    public int GrowthInterval { get; }

    /// <summary>Good steps since the last overflow or growth.</summary>
    public int GoodSteps { get; private set; }

    /// <summary>Steps whose updates were skipped because of an overflow.</summary>
    public long SkippedSteps { get; private set; }

    /// <summary>
    /// Takes a finished step's outcome and returns whether its updates are applied: false (and S halved) when it
    /// overflowed; true otherwise, doubling S after <see cref="GrowthInterval"/> good steps in a row.
    /// </summary>
    public bool Update(bool overflowed)
    {
        if (overflowed)
        {
            Scale = Math.Max(Scale / 2, MinScale);
            GoodSteps = 0;
            SkippedSteps++;
            return false;
        }
        if (++GoodSteps >= GrowthInterval)
        {
            Scale = Math.Min(Scale * 2, MaxScale);
            GoodSteps = 0;
        }
        return true;
    }
}
