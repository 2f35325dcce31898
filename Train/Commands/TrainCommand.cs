using System.CommandLine;
using StaticGraph.Checkpoints;
using StaticGraph.Models;
using StaticGraph.Regularizers;
using StaticGraph.Train.Training;

namespace StaticGraph.Train.Commands;

/// <summary>`train`: trains a model of the zoo on a data set and writes metrics, a checkpoint and curves.</summary>
public static class TrainCommand
{
    /// <summary>The command with its options.</summary>
    public static Command Create()
    {
        var d = new TrainOptions();
        var dataset = new Option<string>("--dataset") { Description = $"Data set: {string.Join(", ", DatasetCatalog.Names)}", DefaultValueFactory = _ => d.Dataset };
        var model = new Option<string>("--model") { Description = $"Model: {string.Join(", ", ModelZoo.Names)}", DefaultValueFactory = _ => d.Model };
        var epochs = new Option<int>("--epochs") { Description = "Passes over the training set", DefaultValueFactory = _ => d.Epochs };
        var batch = new Option<int>("--batch-size") { Description = "Images per step", DefaultValueFactory = _ => d.BatchSize };
        var lr = new Option<double>("--lr") { Description = "Base learning rate", DefaultValueFactory = _ => d.Lr };
        var schedule = new Option<string>("--schedule") { Description = $"Learning-rate schedule: {string.Join(", ", ScheduleFactory.Names)}", DefaultValueFactory = _ => d.Schedule };
        var warmup = new Option<int>("--warmup-epochs") { Description = "Linear warmup epochs", DefaultValueFactory = _ => d.WarmupEpochs };
        var momentum = new Option<double>("--momentum") { Description = "SGD momentum", DefaultValueFactory = _ => d.Momentum };
        var wd = new Option<double>("--weight-decay") { Description = "L2 weight decay", DefaultValueFactory = _ => d.WeightDecay };
        var noNesterov = new Option<bool>("--no-nesterov") { Description = "Classical momentum instead of Nesterov's" };
        var noDecayBn = new Option<bool>("--no-weight-decay-on-bn") { Description = "Exempt BN and bias parameters from weight decay" };
        var seed = new Option<ulong>("--seed") { Description = "Seed of initialisation, data order, augmentation and random ops", DefaultValueFactory = _ => d.Seed };
        var outDir = new Option<string>("--out") { Description = "Output folder", DefaultValueFactory = _ => d.OutDir };
        var trainLimit = new Option<int>("--train-limit") { Description = "Train on the first N images only" };
        var testLimit = new Option<int>("--test-limit") { Description = "Evaluate on the first N test images only" };
        var threads = new Option<int>("--threads") { Description = "CPU threads (0: all cores)" };
        var device = new Option<string>("--device") { Description = "Backend: auto (CUDA when a GPU is usable, else the CPU), cpu or cuda", DefaultValueFactory = _ => d.Device };
        var precision = new Option<string>("--precision") { Description = "f32, or on the GPU tf32, bf16 or fp16 for convolutions and matrix products (f32 master weights)", DefaultValueFactory = _ => d.Precision };
        var dataDir = new Option<string?>("--data-dir") { Description = "Folder holding the data set files" };
        var noAugment = new Option<bool>("--no-augment") { Description = "Disable pad-4 random crop and horizontal flip" };
        var regularizers = new RegularizerFlags();
        var resume = new Option<string?>("--resume") { Description = "Continue the run whose output folder this is (its checkpoint holds the options)" };
        var command = new Command("train", "Train a model")
        {
            dataset, model, epochs, batch, lr, schedule, warmup, momentum, wd, noNesterov, noDecayBn, seed, outDir,
            trainLimit, testLimit, threads, device, precision, dataDir, noAugment, resume,
        };
        foreach (var option in regularizers.Options) command.Options.Add(option);
        command.SetAction(r => CommandErrors.Guard(() =>
        {
            TrainOptions options = new()
            {
                Dataset = r.GetValue(dataset)!,
                Model = r.GetValue(model)!,
                Epochs = Positive(r.GetValue(epochs), "--epochs"),
                BatchSize = Positive(r.GetValue(batch), "--batch-size"),
                Lr = r.GetValue(lr),
                Schedule = r.GetValue(schedule)!,
                WarmupEpochs = NonNegative(r.GetValue(warmup), "--warmup-epochs"),
                Momentum = r.GetValue(momentum),
                WeightDecay = r.GetValue(wd),
                Nesterov = !r.GetValue(noNesterov),
                NoDecayOnNormAndBias = r.GetValue(noDecayBn),
                Seed = r.GetValue(seed),
                OutDir = r.GetValue(outDir)!,
                TrainLimit = NonNegative(r.GetValue(trainLimit), "--train-limit"),
                TestLimit = NonNegative(r.GetValue(testLimit), "--test-limit"),
                Threads = NonNegative(r.GetValue(threads), "--threads"),
                Device = r.GetValue(device)!,
                Precision = r.GetValue(precision)!,
                DataDir = r.GetValue(dataDir),
                Augment = !r.GetValue(noAugment),
                Regularizers = regularizers.Read(r),
            };
            if (r.GetValue(resume) is { } dir)
            {
                var saved = CheckpointFile.Read(Path.Combine(dir, Trainer.CheckpointName));
                options = Trainer.OptionsOf(saved) with { OutDir = dir, Threads = options.Threads, Device = options.Device, Precision = options.Precision, DataDir = options.DataDir ?? Trainer.OptionsOf(saved).DataDir };
            }
            if (options.Lr <= 0) throw new ArgumentException($"--lr must be positive, got {options.Lr}");
            // Fail on nonsense combinations before loading any data.
            RegularizerCatalog.Check(options.Regularizers);
            ModelZoo.Get(options.Model, options.Regularizers);
            if (!DeviceChoice.Names.Contains(options.Device) || options.Precision != "f32") DeviceChoice.Resolve(options.Device, null, options.Precision);
            using var stop = StopSignals.Install();
            var result = ConsoleProgress.Run(progress => new Trainer(options, progress).Run(r.GetValue(resume) is not null, stop.Token));
            if (result.Stopped)
            {
                Console.WriteLine($"stopped; checkpoint written. Continue with: train --resume {options.OutDir}");
                return 130;
            }
            var last = result.History[^1];
            Console.WriteLine($"test accuracy {last.TestAcc * 100:F2}% (test loss {last.TestLoss:F4}) after {last.Epoch} epoch(s); results in {Path.GetFullPath(options.OutDir)}");
            return 0;
        }));
        return command;
    }

    private static int Positive(int v, string name) => v > 0 ? v : throw new ArgumentException($"{name} must be positive, got {v}");

    private static int NonNegative(int v, string name) => v >= 0 ? v : throw new ArgumentException($"{name} must not be negative, got {v}");
}
