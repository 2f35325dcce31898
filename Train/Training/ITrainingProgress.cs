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
