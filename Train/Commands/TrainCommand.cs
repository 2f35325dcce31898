using System.CommandLine;
using StaticGraph.Checkpoints;
using StaticGraph.Distributed;
using StaticGraph.Distributed.Mpi;
using StaticGraph.Models;
using StaticGraph.Regularizers;
using StaticGraph.Train.Recipes;
using StaticGraph.Train.Training;

namespace StaticGraph.Train.Commands;

/// <summary>
/// `train`: trains a model of the zoo on a data set and writes metrics, a checkpoint and curves. Started by
/// <c>mpirun -np N</c>, it is one of N ranks of a data-parallel run (<see cref="MpiLaunch"/>); rank 0 prints and writes.
/// </summary>
public static class TrainCommand
{
    /// <summary>The command with its options.</summary>
    public static Command Create()
    {
        var d = new TrainOptions();
        var recipe = new Option<string?>("--recipe") { Description = "Start from a published recipe (sgtrain recipes); every other option given overrides it" };
        var dataset = new Option<string>("--dataset") { Description = $"Data set: {string.Join(", ", DatasetCatalog.Names)}", DefaultValueFactory = _ => d.Dataset };
        var model = new Option<string>("--model") { Description = $"Model: {string.Join(", ", ModelZoo.Names)}", DefaultValueFactory = _ => d.Model };
        var epochs = new Option<int>("--epochs") { Description = "Passes over the training set", DefaultValueFactory = _ => d.Epochs };
        var batch = new Option<int>("--batch-size") { Description = "Images per step (the global batch: under mpirun -np N each rank takes 1/N of it)", DefaultValueFactory = _ => d.BatchSize };
        var lr = new Option<double>("--lr") { Description = "Base learning rate", DefaultValueFactory = _ => d.Lr };
        var schedule = new Option<string>("--schedule") { Description = $"Learning-rate schedule: {string.Join(", ", ScheduleFactory.Names)}", DefaultValueFactory = _ => d.Schedule };
        var milestones = new Option<string?>("--milestones") { Description = "Epochs at which multistep decays the rate, e.g. 60,120,160 (default: half and three quarters of training)" };
        var lrDecay = new Option<double>("--lr-decay") { Description = "Factor multistep applies at each milestone", DefaultValueFactory = _ => d.LrDecay };
        var warmup = new Option<int>("--warmup-epochs") { Description = "Linear warmup epochs", DefaultValueFactory = _ => d.WarmupEpochs };
        var momentum = new Option<double>("--momentum") { Description = "SGD momentum", DefaultValueFactory = _ => d.Momentum };
        var wd = new Option<double>("--weight-decay") { Description = "L2 weight decay", DefaultValueFactory = _ => d.WeightDecay };
        var noNesterov = new Option<bool>("--no-nesterov") { Description = "Classical momentum instead of Nesterov's" };
        var noDecayBn = new Option<bool>("--no-weight-decay-on-bn") { Description = "Exempt BN and bias parameters from weight decay" };
        var seed = new Option<ulong>("--seed") { Description = "Seed of initialisation, data order, augmentation and random ops", DefaultValueFactory = _ => d.Seed };
        var outDir = new Option<string>("--out") { Description = "Output folder (a recipe's default: runs/NAME)", DefaultValueFactory = _ => d.OutDir };
        var trainLimit = new Option<int>("--train-limit") { Description = "Train on the first N images only" };
        var testLimit = new Option<int>("--test-limit") { Description = "Evaluate on the first N test images only" };
        var threads = new Option<int>("--threads") { Description = "CPU threads (0: all cores)" };
        var device = new Option<string>("--device") { Description = "Backend: auto (CUDA when a GPU is usable, else the CPU), cpu or cuda", DefaultValueFactory = _ => d.Device };
        var precision = new Option<string>("--precision") { Description = "f32, or on the GPU tf32, bf16 or fp16 for convolutions and matrix products (f32 master weights)", DefaultValueFactory = _ => d.Precision };
        var dataDir = new Option<string?>("--data-dir") { Description = "Folder holding the data set files (searched before the user cache and /usr/share/datasets)" };
        var noAugment = new Option<bool>("--no-augment") { Description = "Disable pad-4 random crop and horizontal flip" };
        var noCrop = new Option<bool>("--no-crop") { Description = "Disable the pad-4 random crop" };
        var noFlip = new Option<bool>("--no-flip") { Description = "Disable the horizontal flip" };
        var regularizers = new RegularizerFlags();
        var resume = new Option<string?>("--resume") { Description = "Continue the run whose output folder this is (its checkpoint holds the options)" };
        var command = new Command("train", "Train a model")
        {
            recipe, dataset, model, epochs, batch, lr, schedule, milestones, lrDecay, warmup, momentum, wd, noNesterov, noDecayBn, seed, outDir,
            trainLimit, testLimit, threads, device, precision, dataDir, noAugment, noCrop, noFlip, resume,
        };
        foreach (var option in regularizers.Options) command.Options.Add(option);
        command.SetAction(r =>
        {
            // MPI is joined once, outside the guard: every error below ends this rank with one line, and MPI is
            // finalised (or, when a rank was lost, left to mpirun) whatever happened.
            ICommunicator world;
            try
            {
                world = MpiLaunch.Join();
            }
            catch (Exception e) when (e is MpiLibraryNotFoundException or MpiException or ArgumentException)
            {
                Console.Error.WriteLine("error: " + e.Message);
                return 2;
            }
            try
            {
                return CommandErrors.Guard(() => Train(r, world), world.Rank);
            }
            finally
            {
                (world as IDisposable)?.Dispose();
            }
        });
        return command;

        int Train(ParseResult r, ICommunicator world)
        {
            // An option counts only when given: the base (a recipe or the defaults) supplies the rest.
            bool Given(Option o) => r.GetResult(o) is { Implicit: false };
            T Pick<T>(Option<T> o, T fallback) => Given(o) ? r.GetValue(o)! : fallback;
            var b = r.GetValue(recipe) is { } name ? RecipeBook.Get(name).Options : d;
            TrainOptions options = b with
            {
                Dataset = Pick(dataset, b.Dataset),
                Model = Pick(model, b.Model),
                Epochs = Positive(Pick(epochs, b.Epochs), "--epochs"),
                BatchSize = Positive(Pick(batch, b.BatchSize), "--batch-size"),
                Lr = Pick(lr, b.Lr),
                Schedule = Pick(schedule, b.Schedule),
                Milestones = Given(milestones) ? ParseMilestones(r.GetValue(milestones)!) : b.Milestones,
                LrDecay = Pick(lrDecay, b.LrDecay),
                WarmupEpochs = NonNegative(Pick(warmup, b.WarmupEpochs), "--warmup-epochs"),
                Momentum = Pick(momentum, b.Momentum),
                WeightDecay = Pick(wd, b.WeightDecay),
                Nesterov = Given(noNesterov) ? !r.GetValue(noNesterov) : b.Nesterov,
                NoDecayOnNormAndBias = Given(noDecayBn) ? r.GetValue(noDecayBn) : b.NoDecayOnNormAndBias,
                Seed = Pick(seed, b.Seed),
                OutDir = Pick(outDir, b.OutDir),
                TrainLimit = NonNegative(Pick(trainLimit, b.TrainLimit), "--train-limit"),
                TestLimit = NonNegative(Pick(testLimit, b.TestLimit), "--test-limit"),
                Threads = NonNegative(Pick(threads, b.Threads), "--threads"),
                Device = Pick(device, b.Device),
                Precision = Pick(precision, b.Precision),
                DataDir = Pick(dataDir, b.DataDir),
                Augment = Given(noAugment) ? !r.GetValue(noAugment) : b.Augment,
                RandomCrop = Given(noCrop) ? !r.GetValue(noCrop) : b.RandomCrop,
                HorizontalFlip = Given(noFlip) ? !r.GetValue(noFlip) : b.HorizontalFlip,
                // A regularizer given on the command line replaces the base's parameters it names and keeps the others.
                Regularizers = b.Regularizers.Overlay(regularizers.Read(r)),
            };
            if (r.GetValue(resume) is { } dir)
            {
                // Rank 0 reads the checkpoint's options and shares them: the other ranks may run where the file is not.
                var path = Trainer.CheckpointIn(dir);
                var json = world.FromRoot(() => System.Text.Encoding.UTF8.GetBytes(System.Text.Json.JsonSerializer.Serialize(Trainer.OptionsOf(CheckpointFile.Read(path)))));
                var saved = System.Text.Json.JsonSerializer.Deserialize<TrainOptions>(json)!;
                options = saved with { OutDir = dir, Threads = options.Threads, Device = options.Device, Precision = options.Precision, DataDir = options.DataDir ?? saved.DataDir };
            }
            if (options.Lr <= 0) throw new ArgumentException($"--lr must be positive, got {options.Lr}");
            if (options.LrDecay <= 0) throw new ArgumentException($"--lr-decay must be positive, got {options.LrDecay}");
            // Fail on nonsense combinations before loading any data.
            RegularizerCatalog.Check(options.Regularizers);
            ModelZoo.Get(options.Model, options.Regularizers);
            if (!DeviceChoice.Names.Contains(options.Device) || options.Precision != "f32") DeviceChoice.Resolve(options.Device, null, options.Precision);
            using var stop = StopSignals.Install(underLauncher: world.Size > 1 || MpiLaunch.IsLaunched, quiet: world.Rank > 0);
            var lead = world.Rank == 0;
            var result = lead
                ? ConsoleProgress.Run(progress => new Trainer(options, progress, world).Run(r.GetValue(resume) is not null, stop.Token))
                : new Trainer(options, TrainingProgress.None, world).Run(r.GetValue(resume) is not null, stop.Token);
            if (result.Stopped)
            {
                if (lead) Console.WriteLine($"stopped; checkpoint written. Continue with: {(world.Size > 1 ? $"mpirun -np {world.Size} sgtrain " : "")}train --resume {options.OutDir}");
                return 130;
            }
            var last = result.History[^1];
            if (lead) Console.WriteLine($"test accuracy {last.TestAcc * 100:F2}% (test loss {last.TestLoss:F4}) after {last.Epoch} epoch(s); results in {Path.GetFullPath(options.OutDir)}");
            return 0;
        }
    }

    /// <summary>"60,120,160" as epochs, each positive and later than the one before.</summary>
    private static int[] ParseMilestones(string text)
    {
        var parts = text.Split(',', StringSplitOptions.TrimEntries);
        var epochs = new int[parts.Length];
        for (var i = 0; i < parts.Length; i++)
        {
            if (!int.TryParse(parts[i], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out epochs[i]) || epochs[i] <= 0)
                throw new ArgumentException($"--milestones must be positive epochs separated by commas (e.g. 60,120,160), got '{text}' ('{parts[i]}' is not one)");
            if (i > 0 && epochs[i] <= epochs[i - 1])
                throw new ArgumentException($"--milestones must increase, got '{text}'");
        }
        return epochs;
    }

    private static int Positive(int v, string name) => v > 0 ? v : throw new ArgumentException($"{name} must be positive, got {v}");

    private static int NonNegative(int v, string name) => v >= 0 ? v : throw new ArgumentException($"{name} must not be negative, got {v}");
}
