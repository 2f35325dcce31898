namespace StaticGraph.Train.Training;

/// <summary>Turns the command line's schedule options into a <see cref="Schedule"/> over steps.</summary>
public static class ScheduleFactory
{
    /// <summary>The known schedule names.</summary>
    public static readonly string[] Names = ["constant", "cosine", "multistep"];

    /// <summary>The schedule for <paramref name="o"/> with <paramref name="stepsPerEpoch"/> steps an epoch.</summary>
    public static Schedule Create(TrainOptions o, int stepsPerEpoch)
    {
        var warmup = (long)o.WarmupEpochs * stepsPerEpoch;
        var main = Math.Max(1, (long)o.Epochs * stepsPerEpoch - warmup);
        var schedule = o.Schedule switch
        {
            "constant" => Schedule.Constant(o.Lr),
            "cosine" => Schedule.Cosine(o.Lr, main),
            // Without milestones, those of the ResNet papers: half and three quarters of training.
            "multistep" => Schedule.MultiStep(o.Lr, o.Milestones is { } epochs ? [.. epochs.Select(e => (long)e * stepsPerEpoch - warmup)] : [main / 2, main * 3 / 4], o.LrDecay),
            _ => throw new ArgumentException($"unknown schedule '{o.Schedule}'; known schedules: {string.Join(", ", Names)}"),
        };
        return warmup > 0 ? Schedule.LinearWarmup(warmup).Then(schedule) : schedule;
    }
}
