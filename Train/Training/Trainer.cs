using System.Diagnostics;
using StaticGraph.Checkpoints;
using StaticGraph.Data;
using StaticGraph.Models;

namespace StaticGraph.Train.Training;

/// <summary>A training run stopped because the loss was not finite.</summary>
public sealed class TrainingDivergedException(long step, double loss)
    : Exception($"training diverged at step {step}: the loss is {loss}; the last good checkpoint is kept")
{
    /// <summary>The step whose loss was not finite.</summary>
    public long Step { get; } = step;
}

/// <summary>
/// The training loop: batches in a seeded order with seeded augmentation, one static training
/// program per step, evaluation after every epoch, and metrics.csv, a checkpoint and curves.png in
/// the output folder.
/// </summary>
public sealed class Trainer(TrainOptions options, ITrainingProgress progress)
{
    /// <summary>File name of the checkpoint in the output folder.</summary>
    public const string CheckpointName = "checkpoint.sgck";

    /// <summary>Trains and returns every epoch's metrics.</summary>
    public IReadOnlyList<EpochMetrics> Run()
    {
        var (train, test) = DatasetCatalog.Load(options.Dataset, options.DataDir);
        if (options.TrainLimit > 0) train = train.Take(options.TrainLimit);
        if (options.TestLimit > 0) test = test.Take(options.TestLimit);
        var batch = options.BatchSize;
        if (train.Count < batch)
            throw new ArgumentException($"the training set has {train.Count} images, fewer than one batch of {batch}; raise --train-limit or lower --batch-size");
        var plan = new BatchPlan(train.Count, batch, shuffle: true, dropLast: true, seed: options.Seed);
        var stepsPerEpoch = plan.BatchCount;
        var schedule = ScheduleFactory.Create(options, stepsPerEpoch);
        var optimizer = new Sgd(options.Momentum, options.WeightDecay, options.Nesterov, options.NoDecayOnNormAndBias);

        using var session = new ModelSession(ModelZoo.Get(options.Model), batch, train.Channels, train.Height, train.Width,
            train.ClassCount, optimizer, schedule, options.Seed, options.Threads, options.LabelSmoothing);
        var evaluator = new Evaluator(session);
        Directory.CreateDirectory(options.OutDir);
        var metricsPath = Path.Combine(options.OutDir, "metrics.csv");
        File.WriteAllText(metricsPath, EpochMetrics.CsvHeader + "\n");

        var augment = options.Augment ? AugmentOptions.Training : AugmentOptions.Evaluation;
        var images = new float[batch * train.ImageSize];
        var labels = new int[batch];
        var logits = new float[batch * train.ClassCount];
        var loss = new float[1];
        var history = new List<EpochMetrics>();
        for (var epoch = 0; epoch < options.Epochs; epoch++)
        {
            progress.EpochStarted(epoch + 1, stepsPerEpoch);
            var clock = Stopwatch.StartNew();
            double lossSum = 0;
            long correct = 0;
            var seen = 0;
            var lr = schedule.At(session.Training.Step);
            foreach (var planned in plan.StartEpoch(epoch))
            {
                BatchAssembler.Assemble(train, planned.Indices, augment, options.Seed, planned.Id, images, labels);
                lr = schedule.At(session.Training.Step);
                session.Training.SetInput<float>(ModelSession.ImageInput, images);
                session.Training.SetInput<int>(ModelSession.LabelInput, labels);
                session.Training.Run();
                session.Training.Read<float>(session.Loss, loss);
                if (!float.IsFinite(loss[0])) throw new TrainingDivergedException(session.Training.Step - 1, loss[0]);
                session.Training.Read<float>(session.Logits, logits);
                lossSum += loss[0] * batch;
                correct += LogitStatistics.Score(logits, labels, train.ClassCount, batch).Correct;
                seen += batch;
                progress.StepDone(planned.Index + 1, loss[0], seen / clock.Elapsed.TotalSeconds);
            }
            progress.Evaluating();
            var (testLoss, testAcc) = evaluator.Evaluate(test);
            var metrics = new EpochMetrics(epoch + 1, lossSum / seen, (double)correct / seen, testLoss, testAcc, lr, clock.Elapsed.TotalSeconds);
            history.Add(metrics);
            File.AppendAllText(metricsPath, metrics.ToCsv() + "\n");
            CheckpointFile.Save(Path.Combine(options.OutDir, CheckpointName), session.Training, session.TrainingProgram, epoch + 1,
                new Dictionary<string, string> { ["model"] = options.Model, ["dataset"] = options.Dataset }, options.Seed);
            CurvesPlot.Write(Path.Combine(options.OutDir, "curves.png"), history);
            progress.EpochDone(metrics);
        }
        return history;
    }
}
