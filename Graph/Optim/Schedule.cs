namespace StaticGraph;

/// <summary>
/// A learning rate as a function of the step. Schedules compose: <c>Schedule.LinearWarmup(500).Then(Schedule.Cosine(0.2, total))</c>.
/// </summary>
public abstract record Schedule
{
    /// <summary>The learning rate at <paramref name="step"/> (0-based).</summary>
    public abstract double At(long step);

    /// <summary>A constant rate.</summary>
    public static Schedule Constant(double lr) => new ConstantSchedule(lr);

    /// <summary>lr multiplied by <paramref name="gamma"/> at each milestone step.</summary>
    public static Schedule MultiStep(double lr, long[] milestones, double gamma = 0.1) => new MultiStepSchedule(lr, [.. milestones.Order()], gamma);

    /// <summary>Cosine annealing from lr to lr*minFactor over <paramref name="totalSteps"/>.</summary>
    public static Schedule Cosine(double lr, long totalSteps, double minFactor = 0) => new CosineSchedule(lr, totalSteps, minFactor);

    /// <summary>A warmup of <paramref name="steps"/> rising linearly from <paramref name="startFactor"/>; finish it with <see cref="Warmup.Then"/>.</summary>
    public static Warmup LinearWarmup(long steps, double startFactor = 0.1) => new(steps, startFactor, exponential: false);

    /// <summary>A warmup of <paramref name="steps"/> rising geometrically from <paramref name="startFactor"/>.</summary>
    public static Warmup ExponentialWarmup(long steps, double startFactor = 0.01) => new(steps, startFactor, exponential: true);
}

/// <summary>A warmup waiting for the schedule it leads into.</summary>
public sealed class Warmup(long steps, double startFactor, bool exponential)
{
    /// <summary>Warm up, then follow <paramref name="main"/> (whose step 0 is the first step after the warmup).</summary>
    public Schedule Then(Schedule main)
    {
        if (steps < 0) throw new ArgumentOutOfRangeException(nameof(steps), steps, "warmup steps must be >= 0");
        if (startFactor <= 0 || startFactor > 1) throw new ArgumentOutOfRangeException(nameof(startFactor), startFactor, "warmup start factor must be in (0, 1]");
        return new WarmupSchedule(steps, startFactor, exponential, main);
    }
}

/// <summary>A constant rate.</summary>
public sealed record ConstantSchedule(double Lr) : Schedule
{
    /// <inheritdoc/>
    public override double At(long step) => Lr;
}

/// <summary>Step decay at milestones.</summary>
public sealed record MultiStepSchedule(double Lr, long[] Milestones, double Gamma) : Schedule
{
    /// <inheritdoc/>
    public override double At(long step) => Lr * Math.Pow(Gamma, Milestones.Count(m => step >= m));
}

/// <summary>Cosine annealing.</summary>
public sealed record CosineSchedule(double Lr, long TotalSteps, double MinFactor) : Schedule
{
    /// <inheritdoc/>
    public override double At(long step)
    {
        var t = TotalSteps <= 0 ? 1 : Math.Clamp((double)step / TotalSteps, 0, 1);
        return Lr * (MinFactor + (1 - MinFactor) * 0.5 * (1 + Math.Cos(Math.PI * t)));
    }
}

/// <summary>Warmup followed by another schedule.</summary>
public sealed record WarmupSchedule(long Steps, double StartFactor, bool Exponential, Schedule Main) : Schedule
{
    /// <inheritdoc/>
    public override double At(long step)
    {
        if (step >= Steps) return Main.At(step - Steps);
        var t = (double)step / Steps;
        var factor = Exponential ? Math.Pow(StartFactor, 1 - t) : StartFactor + (1 - StartFactor) * t;
        return Main.At(0) * factor;
    }
}
