namespace StaticGraph.Train.Training;

/// <summary>Receives progress while a model trains (a progress bar, a log, a test probe).</summary>
public interface ITrainingProgress
{
    /// <summary>An epoch of <paramref name="steps"/> steps begins.</summary>
    void EpochStarted(int epoch, int steps);

    /// <summary>A step finished.</summary>
    void StepDone(int stepInEpoch, double loss, double imagesPerSecond);

    /// <summary>Evaluation is running.</summary>
    void Evaluating();

    /// <summary>An epoch finished with these metrics.</summary>
    void EpochDone(EpochMetrics metrics);
}

/// <summary>Progress sinks that need no console.</summary>
public static class TrainingProgress
{
    /// <summary>A sink that shows nothing: the ranks of a data-parallel run other than rank 0.</summary>
    public static ITrainingProgress None { get; } = new Silent();

    private sealed class Silent : ITrainingProgress
    {
        public void EpochStarted(int epoch, int steps)
        {
        }

        public void StepDone(int stepInEpoch, double loss, double imagesPerSecond)
        {
        }

        public void Evaluating()
        {
        }

        public void EpochDone(EpochMetrics metrics)
        {
        }
    }
}
