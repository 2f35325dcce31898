using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using StaticGraph.Backend;
using StaticGraph.Checkpoints;
using StaticGraph.Data;
using StaticGraph.Models;

namespace StaticGraph.Train.Training;

/// <summary>A training run stopped because a value became NaN or infinite.</summary>
public sealed class TrainingDivergedException(long step, string detail)
    : Exception($"training diverged at step {step}: {detail}; the last good checkpoint is kept")
{
    /// <summary>The step at which it happened.</summary>
    public long Step { get; } = step;
}

/// <summary>What a run ended with.</summary>
/// <param name="History">Every completed epoch's metrics, including those of earlier runs when resumed.</param>
/// <param name="Stopped">True when a stop was requested and a checkpoint written mid-run.</param>
public sealed record TrainResult(IReadOnlyList<EpochMetrics> History, bool Stopped);

/// <summary>
/// The training loop: batches in a seeded order with seeded augmentation, one static training
/// program per step, evaluation after every epoch, and metrics.csv, a checkpoint and curves.png in
/// the output folder. It knows no backend: each batch is a plan (which images, how cropped and
/// flipped) handed to the backend's image source, which assembles it where the backend computes. A stop request (SIGINT/SIGTERM) writes a checkpoint after the current step;
/// resuming from it continues bitwise identically, because the data order, augmentation and random
/// draws are pure functions of (seed, step) and the partial epoch's sums travel in the checkpoint.
/// </summary>
public sealed class Trainer(TrainOptions options, ITrainingProgress progress)
{
    /// <summary>File name of the checkpoint in the output folder.</summary>
    public const string CheckpointName = "checkpoint.sgck";

    private const string OptionsKey = "options";

    /// <summary>The options a checkpoint was written with (to resume it).</summary>
    public static TrainOptions OptionsOf(CheckpointData checkpoint) =>
        checkpoint.Metadata.TryGetValue(OptionsKey, out var json) && JsonSerializer.Deserialize<TrainOptions>(json) is { } o
            ? o : throw new ArgumentException("the checkpoint holds no training options; it was not written by `train`");

    /// <summary>Trains from scratch, or from the checkpoint in the output folder when <paramref name="resume"/>.</summary>
    public TrainResult Run(bool resume = false, CancellationToken stop = default)
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
        using var session = ModelSession.ForRun(options, train, stepsPerEpoch);
        var step = session.Training;
        step.GuardUpdates = true;
        using var evaluator = new Evaluator(session);
        Directory.CreateDirectory(options.OutDir);
        var metricsPath = Path.Combine(options.OutDir, "metrics.csv");
        var checkpointPath = Path.Combine(options.OutDir, CheckpointName);

        var history = new List<EpochMetrics>();
        var partial = new EpochSums(0, 0, 0, 0);
        if (resume)
        {
            var saved = CheckpointFile.Load(checkpointPath, step, session.TrainingProgram);
            partial = EpochSums.From(saved.Metadata);
            history.AddRange(MetricsFile.Read(metricsPath).Take((int)(saved.Step / stepsPerEpoch)));
        }
        MetricsFile.Write(metricsPath, history);

        var augment = options.TrainingAugmentation();
        // On a GPU the data set is uploaded once and only the plan crosses the bus per step; on the CPU the batch is
        // assembled from the plan on the host. Either way the same plan gives the same bits.
        using var images = ImageSources.For(session.Backend, train, augment.Normalize, batch);
        var batchPlan = new int[batch * ImageBatchPlan.Stride];
        var batchLabels = new int[batch];
        var logits = new float[batch * train.ClassCount];
        var loss = new float[1];
        for (var epoch = (int)(step.Step / stepsPerEpoch); epoch < options.Epochs; epoch++)
        {
            progress.EpochStarted(epoch + 1, stepsPerEpoch);
            var clock = Stopwatch.StartNew();
            var sums = partial;
            partial = new EpochSums(0, 0, 0, 0);
            var lr = schedule.At(step.Step);
            // A resumed epoch skips the batches done before the stop.
            var batches = plan.StartEpoch(epoch);
            for (var index = (int)(step.Step - (long)epoch * stepsPerEpoch); index < batches.Count; index++)
            {
                var planned = batches[index];
                lr = schedule.At(step.Step);
                BatchAssembler.Plan(planned.Indices, augment, plan.Seed, planned.Id, batchPlan);
                for (var p = 0; p < batch; p++) batchLabels[p] = train.Labels[planned.Indices[p]];
                images.Assemble(step, ModelSession.ImageInput, ModelSession.LabelInput, batchPlan);
                RunGuarded(step);
                step.Read<float>(session.Loss, loss);
                step.Read<float>(session.Logits, logits);
                var correct = LogitStatistics.Score(logits, batchLabels, train.ClassCount, batch).Correct;
                sums = sums.Add((double)loss[0] * batch, correct, batch, clock.Elapsed.TotalSeconds);
                clock.Restart();
                progress.StepDone(index + 1, loss[0], sums.Seen / Math.Max(sums.Seconds, 1e-9));
                if (!stop.IsCancellationRequested || index + 1 >= stepsPerEpoch) continue;
                Save(checkpointPath, step, session, epoch, sums);
                return new TrainResult(history, Stopped: true);
            }
            progress.Evaluating();
            var (testLoss, testAcc) = evaluator.Evaluate(test);
            var metrics = new EpochMetrics(epoch + 1, sums.LossSum / sums.Seen, (double)sums.Correct / sums.Seen, testLoss, testAcc, lr, sums.Seconds);
            history.Add(metrics);
            MetricsFile.Write(metricsPath, history);
            Save(checkpointPath, step, session, epoch + 1, new EpochSums(0, 0, 0, 0));
            CurvesPlot.Write(Path.Combine(options.OutDir, "curves.png"), history);
            ReleaseEpochGarbage();
            progress.EpochDone(metrics);
            if (stop.IsCancellationRequested && epoch + 1 < options.Epochs) return new TrainResult(history, Stopped: true);
        }
        return new TrainResult(history, Stopped: false);
    }

    /// <summary>
    /// Each epoch's end leaves garbage (the evaluation's batches, the checkpoint's bytes, the plot) that the collector,
    /// left alone, lets the heap grow by rather than reclaim: about 10 MiB of resident memory per epoch of Fashion-MNIST, 16
    /// GiB over the 1800 epochs of a Shake-Shake run. Nothing of the step is live between epochs, so one full compacting
    /// collection there (tens of milliseconds against an epoch's tens of seconds) keeps the process at a constant size.
    /// The aggressive mode also returns the freed memory to the system at once: a forced collection alone keeps freed
    /// regions committed and gives them back over later collections, so the resident set printed after epoch 2 was
    /// some 40 MiB above the one after epoch 3 and every later epoch.
    /// </summary>
    private static void ReleaseEpochGarbage()
    {
        System.Runtime.GCSettings.LargeObjectHeapCompactionMode = System.Runtime.GCLargeObjectHeapCompactionMode.CompactOnce;
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
    }

    /// <summary>
    /// Runs a step whose updates are checked first. On a NaN or infinity nothing was applied, so the
    /// same step is run again checking every node, to name the one that produced it first.
    /// </summary>
    private static void RunGuarded(IExecutable step)
    {
        try
        {
            step.Run();
        }
        catch (NonFiniteValueException)
        {
            step.CheckFinite = true;
            try
            {
                step.Run();
            }
            catch (NonFiniteValueException first)
            {
                throw new TrainingDivergedException(first.Step, "the first non-finite value came from " + GraphPrinter.Line(first.Node));
            }
            throw new TrainingDivergedException(step.Step, "an update became non-finite");
        }
    }

    private void Save(string path, IExecutable step, ModelSession session, int epoch, EpochSums sums)
    {
        var meta = sums.ToMetadata();
        meta[OptionsKey] = JsonSerializer.Serialize(options);
        meta["model"] = options.Model;
        meta["dataset"] = options.Dataset;
        CheckpointFile.Save(path, step, session.TrainingProgram, epoch, meta, options.Seed);
    }

    /// <summary>The running sums of an epoch in progress (saved with a mid-epoch checkpoint).</summary>
    private sealed record EpochSums(double LossSum, long Correct, long Seen, double Seconds)
    {
        public EpochSums Add(double loss, long correct, long seen, double seconds) =>
            new(LossSum + loss, Correct + correct, Seen + seen, Seconds + seconds);

        public Dictionary<string, string> ToMetadata() => new()
        {
            ["epoch_loss_sum"] = LossSum.ToString("R", CultureInfo.InvariantCulture),
            ["epoch_correct"] = Correct.ToString(CultureInfo.InvariantCulture),
            ["epoch_seen"] = Seen.ToString(CultureInfo.InvariantCulture),
            ["epoch_seconds"] = Seconds.ToString("R", CultureInfo.InvariantCulture),
        };

        public static EpochSums From(IReadOnlyDictionary<string, string> m) => new(
            double.Parse(m.GetValueOrDefault("epoch_loss_sum", "0"), CultureInfo.InvariantCulture),
            long.Parse(m.GetValueOrDefault("epoch_correct", "0"), CultureInfo.InvariantCulture),
            long.Parse(m.GetValueOrDefault("epoch_seen", "0"), CultureInfo.InvariantCulture),
            double.Parse(m.GetValueOrDefault("epoch_seconds", "0"), CultureInfo.InvariantCulture));
    }
}
