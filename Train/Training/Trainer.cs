using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using StaticGraph.Backend;
using StaticGraph.Checkpoints;
using StaticGraph.Data;
using StaticGraph.Distributed;
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
/// Given a communicator of N ranks (<c>mpirun -np N</c>), each rank trains on its slice of every global batch
/// (<see cref="RankShare"/>) with a program that averages the gradients (<see cref="DataParallel"/>); the step's loss and
/// hits, and the stop request, are summed over the ranks after every step, so every rank takes the same decisions, and
/// rank 0 alone reports progress and writes the files. The loop itself has no branch for it: one process is a world of one.
/// </summary>
public sealed class Trainer(TrainOptions options, ITrainingProgress progress, ICommunicator? world = null)
{
    /// <summary>File name of the checkpoint in the output folder.</summary>
    public const string CheckpointName = "checkpoint.sgck";

    /// <summary>The checkpoint a run writes into <paramref name="folder"/>.</summary>
    public static string CheckpointIn(string folder) => Path.Combine(folder, CheckpointName);

    private const string OptionsKey = "options";
    private const string WorldKey = "world_size";
    private readonly ICommunicator _world = world ?? SingleProcess.Instance;

    /// <summary>The options a checkpoint was written with (to resume it).</summary>
    public static TrainOptions OptionsOf(CheckpointData checkpoint) =>
        checkpoint.Metadata.TryGetValue(OptionsKey, out var json) && JsonSerializer.Deserialize<TrainOptions>(json) is { } o
            ? o : throw new ArgumentException("the checkpoint holds no training options; it was not written by `train`");

    /// <summary>The number of ranks that wrote a checkpoint (1 for a single process, and for checkpoints older than data parallelism).</summary>
    public static int WorldSizeOf(CheckpointData checkpoint) =>
        checkpoint.Metadata.TryGetValue(WorldKey, out var text) ? int.Parse(text, CultureInfo.InvariantCulture) : 1;

    /// <summary>Trains from scratch, or from the checkpoint in the output folder when <paramref name="resume"/>.</summary>
    public TrainResult Run(bool resume = false, CancellationToken stop = default)
    {
        var world = _world;
        var lead = world.Rank == 0;
        var report = lead ? progress : TrainingProgress.None;
        var (train, test) = DatasetCatalog.Load(options.Dataset, options.DataDir);
        if (options.TrainLimit > 0) train = train.Take(options.TrainLimit);
        if (options.TestLimit > 0) test = test.Take(options.TestLimit);
        var batch = options.BatchSize;
        if (train.Count < batch)
            throw new ArgumentException($"the training set has {train.Count} images, fewer than one batch of {batch}; raise --train-limit or lower --batch-size");
        var share = RankShare.Of(batch, world);
        var plan = new BatchPlan(train.Count, batch, shuffle: true, dropLast: true, seed: options.Seed);
        var stepsPerEpoch = plan.BatchCount;
        var schedule = ScheduleFactory.Create(options, stepsPerEpoch);
        using var session = ModelSession.ForRun(options, train, stepsPerEpoch, world,
            (program, backend) => ProgramIdentity.RequireSame(world, program, options, backend.Name));
        var step = session.Training;
        step.GuardUpdates = true;
        using var evaluator = new Evaluator(session);
        var metricsPath = Path.Combine(options.OutDir, "metrics.csv");
        var checkpointPath = CheckpointIn(options.OutDir);

        var history = new List<EpochMetrics>();
        var partial = new EpochSums(0, 0, 0, 0);
        if (resume)
        {
            // Rank 0 reads the file and every rank loads the same bytes: the other ranks may run where it is not.
            var saved = CheckpointFile.Parse(checkpointPath, world.FromRoot(() => CheckpointFile.ReadBytes(checkpointPath)));
            if (WorldSizeOf(saved) != world.Size)
                throw new CollectiveException(
                    $"{checkpointPath} was written by a run of {WorldSizeOf(saved)} rank(s); resume it with as many (mpirun -np {WorldSizeOf(saved)}), not {world.Size}");
            CheckpointFile.Apply(checkpointPath, saved, step, session.TrainingProgram);
            partial = EpochSums.From(saved.Metadata);
            if (lead) history.AddRange(MetricsFile.Read(metricsPath).Take((int)(saved.Step / stepsPerEpoch)));
        }
        if (lead)
        {
            Directory.CreateDirectory(options.OutDir);
            MetricsFile.Write(metricsPath, history);
        }

        var augment = options.TrainingAugmentation();
        // On a GPU the data set is uploaded once and only the plan crosses the bus per step; on the CPU the batch is
        // assembled from the plan on the host. Either way the same plan gives the same bits.
        using var images = ImageSources.For(session.Backend, train, augment.Normalize, share.Count);
        var batchPlan = new int[batch * ImageBatchPlan.Stride];
        var batchLabels = new int[share.Count];
        var logits = new float[share.Count * train.ClassCount];
        var loss = new float[1];
        Span<double> stepSums = stackalloc double[2];
        for (var epoch = (int)(step.Step / stepsPerEpoch); epoch < options.Epochs; epoch++)
        {
            report.EpochStarted(epoch + 1, stepsPerEpoch);
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
                // The whole batch's plan, so each image is augmented as in a single process; this rank takes its slice.
                BatchAssembler.Plan(planned.Indices, augment, plan.Seed, planned.Id, batchPlan);
                for (var p = 0; p < share.Count; p++) batchLabels[p] = train.Labels[planned.Indices[share.Start + p]];
                images.Assemble(step, ModelSession.ImageInput, ModelSession.LabelInput,
                    batchPlan.AsSpan(share.Start * ImageBatchPlan.Stride, share.Count * ImageBatchPlan.Stride));
                RunGuarded(step, world);
                step.Read<float>(session.Loss, loss);
                step.Read<float>(session.Logits, logits);
                var correct = LogitStatistics.Score(logits, batchLabels, train.ClassCount, share.Count).Correct;
                // The global batch's loss and hits.
                (stepSums[0], stepSums[1]) = ((double)loss[0] * share.Count, correct);
                world.AllReduceSum(stepSums);
                sums = sums.Add(stepSums[0], (long)stepSums[1], batch, clock.Elapsed.TotalSeconds);
                clock.Restart();
                report.StepDone(index + 1, stepSums[0] / batch, sums.Seen / Math.Max(sums.Seconds, 1e-9));
                // Whether any rank was asked to stop: one decision for all, so they stop after the same step.
                if (!world.Any(stop.IsCancellationRequested) || index + 1 >= stepsPerEpoch) continue;
                if (lead) Save(checkpointPath, step, session, epoch, sums);
                return new TrainResult(history, Stopped: true);
            }
            report.Evaluating();
            var (testLoss, testAcc) = evaluator.Evaluate(test, world);
            var metrics = new EpochMetrics(epoch + 1, sums.LossSum / sums.Seen, (double)sums.Correct / sums.Seen, testLoss, testAcc, lr, sums.Seconds);
            history.Add(metrics);
            if (lead)
            {
                MetricsFile.Write(metricsPath, history);
                Save(checkpointPath, step, session, epoch + 1, new EpochSums(0, 0, 0, 0));
                CurvesPlot.Write(Path.Combine(options.OutDir, "curves.png"), history);
            }
            ReleaseEpochGarbage();
            report.EpochDone(metrics);
            if (world.Any(stop.IsCancellationRequested) && epoch + 1 < options.Epochs) return new TrainResult(history, Stopped: true);
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
    /// same step is run again checking every node, to name the one that produced it first. With several ranks the
    /// updates are averaged, so every rank finds the non-finite update at the same step; the ranks' forward passes may
    /// not agree on where the first one arose, and a rerun could leave one rank waiting in a reduction another never
    /// reaches, so there the step is not rerun.
    /// </summary>
    private static void RunGuarded(IExecutable step, ICommunicator world)
    {
        try
        {
            step.Run();
        }
        catch (NonFiniteValueException e)
        {
            if (world.Size > 1) throw new TrainingDivergedException(e.Step, $"an update became non-finite ({GraphPrinter.Line(e.Node)})");
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
        meta[WorldKey] = _world.Size.ToString(CultureInfo.InvariantCulture);
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
