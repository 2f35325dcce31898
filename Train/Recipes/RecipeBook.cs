using StaticGraph.Models;
using StaticGraph.Regularizers;
using StaticGraph.Train.Training;

namespace StaticGraph.Train.Recipes;

/// <summary>
/// Every published row we reproduce, by name: hysts' pytorch_image_classification tables (CIFAR-10,
/// Fashion-MNIST, MNIST, Kuzushiji-MNIST) and the Shake-Shake paper's CIFAR rows, restricted to models of our
/// zoo. Each group says which settings its table states and where the others come from (docs/recipes.md is
/// generated from this table, and a test keeps it so).
/// </summary>
public static class RecipeBook
{
    private const string HystsReadme = "hysts/pytorch_image_classification, README.md at commit 993089a";

    private static readonly RecipeGroup PaperSettings = new(
        "hysts: Results on CIFAR-10, almost the same settings as the papers",
        HystsReadme + ", \"Results on CIFAR-10\", first table",
        "GeForce GTX 980",
        "Error, epochs and time from the table. Batch, learning rate, schedule and weight decay from configs/cifar/*.yaml, with the "
        + "deviations the table's notes and commands give (WRN-28-10 batch 64; DenseNet-BC-100 batch 32, lr 0.05; shake-shake 2x64d and "
        + "2x96d batch 64, lr 0.1). PyramidNet-110 (alpha=270) is plain PyramidNet: pyramidnet-110-270-shakedrop with ShakeDrop "
        + "survival 1, which makes ShakeDrop the identity. Times marked * in the source were measured on another computer.");

    private static readonly RecipeGroup CosineTable = new(
        "hysts: Results on CIFAR-10, cosine annealing from lr 0.2",
        HystsReadme + ", \"Results on CIFAR-10\", \"Results\" table",
        "GeForce GTX 1080 Ti (the 78h55m run: GTX 980)",
        "Error, epochs and time from the table; cosine annealing from lr 0.2 from its note. Batch and weight decay are not stated: "
        + "the configuration files' (WRN: 128 and 5e-4; shake-shake: 128 and 1e-4). The README's commands beside the table (batch 64, "
        + "lr 0.1, 300 epochs) contradict the note and the table; the note is followed. RICAP rows train without the random crop, "
        + "as the repository's RICAP configuration does (the table does not say). Cutout squares may leave the image (cut_inside "
        + "false); Dual-Cutout uses 16-pixel squares.");

    private static readonly RecipeGroup SingleGpu = new(
        "hysts: Results on CIFAR-10 using multi-GPU, the single-GPU row",
        HystsReadme + ", \"Results using multi-GPU\"",
        "Tesla V100",
        "The row's own command: lr 0.2, batch 512, 200 epochs, cosine, RICAP, no random crop; weight decay 5e-4 from "
        + "configs/cifar/wrn.yaml. The 2-, 4- and 8-GPU rows are not recipes: their batch-norm statistics are per GPU, which one "
        + "device does not reproduce.");

    private static readonly RecipeGroup ObjectiveExperiments = new(
        "hysts: Experiments on label smoothing, Mixup, RICAP and Dual-Cutout (CIFAR-10)",
        HystsReadme + ", \"Experiments on label smoothing, Mixup, RICAP, and Dual-Cutout\"",
        "GeForce GTX 1080 Ti",
        "Error (median of 3 runs), epochs and time from the table; cosine from lr 0.2 from its note. Batch 128 and weight decay "
        + "1e-4 from configs/cifar/resnet_preact.yaml (not stated). RICAP trains without the random crop unless the row says "
        + "'w/ random crop'.");

    private static readonly RecipeGroup ResidualUnits = new(
        "hysts: Experiment on residual units (CIFAR-10), the standard pre-activation row",
        HystsReadme + ", \"Experiment on residual units, learning rate scheduling, and data augmentation\"",
        "not stated",
        "Only the row 'w/ 1st ReLU, w/o last BN, preactivate shortcut after downsampling' is a model of our zoo (ResNet-preact-56). "
        + "Its command sets depth 56 and lr 0.2; the rest is configs/cifar/resnet_preact.yaml (batch 128, weight decay 1e-4, 160 "
        + "epochs, multistep at 80 and 120 by 0.1). The error is the median of 5 runs.");

    private static readonly RecipeGroup FashionTables = new(
        "hysts: Results on FashionMNIST",
        HystsReadme + ", \"Results on FashionMNIST\"",
        "GeForce GTX 1080 Ti",
        "Error, epochs and time from the tables; cosine from lr 0.2 and pad-4 crop with flip from their notes. Batch 128, weight "
        + "decay 1e-4 and Nesterov momentum 0.9 are the configuration files of the time (configs/resnet_preact.json, "
        + "configs/shake_shake.json), not stated. Random Erasing p=0.5 and Mixup alpha 1 are the repository's defaults (the rows "
        + "name no parameter).");

    private static readonly RecipeGroup MnistTable = new(
        "hysts: Results on MNIST",
        HystsReadme + ", \"Results on MNIST\"",
        "GeForce GTX 1080 Ti",
        "Error (median of 3 runs), epochs and time from the table; cosine from lr 0.2 from its note. No crop and no flip: the "
        + "repository's MNIST defaults when the table was written (argparser.py, December 2018), not stated in the README. Batch "
        + "128 and weight decay 1e-4 from the configuration files of the time.");

    private static readonly RecipeGroup KmnistTable = new(
        "hysts: Results on Kuzushiji-MNIST",
        HystsReadme + ", \"Results on Kuzushiji-MNIST\"",
        "GeForce GTX 1080 Ti",
        "Error (median of 3 runs, best run in parentheses), epochs and time from the table; cosine from lr 0.2 from its note. Pad-4 "
        + "crop without flip: the repository's KMNIST defaults when the table was written (argparser.py, December 2018). Batch 128 "
        + "and weight decay 1e-4 from the configuration files of the time. PyramidNet-110-270 is plain PyramidNet (ShakeDrop "
        + "survival 1).");

    private static readonly RecipeGroup ShakeShakePaper = new(
        "Gastaldi 2017, Shake-Shake regularization: CIFAR-10 Table 1 (S-S-I) and CIFAR-100",
        "arXiv:1705.07485; settings from the authors' README and code (xgastaldi/shake-shake)",
        "not published",
        "Errors from the paper (CIFAR-10 26 2x32d and 2x64d: average of 3 runs; 2x96d: average of 5; CIFAR-100 29 2x4x64d S-E-I). "
        + "Settings from the authors' commands: CIFAR-10 batch 128, lr 0.2, 1800 epochs, cosine per iteration to 0; CIFAR-100 batch "
        + "32, lr 0.025, weight decay 5e-4. Weight decay 1e-4 (CIFAR-10), momentum 0.9 and Nesterov are fb.resnet.torch's settings, "
        + "which the authors' code keeps. The paper trained on two GPUs; no times are published.");

    /// <summary>Every recipe, in the order of the published tables.</summary>
    public static IReadOnlyList<Recipe> All { get; } = Build();

    /// <summary>Every group, in order.</summary>
    public static IReadOnlyList<RecipeGroup> Groups { get; } = [.. All.Select(r => r.Group).Distinct()];

    /// <summary>The recipe called <paramref name="name"/>; an unknown name says where the names are listed.</summary>
    public static Recipe Get(string name) =>
        All.FirstOrDefault(r => r.Name == name)
            ?? throw new ArgumentException($"unknown recipe '{name}'; `sgtrain recipes --names` lists the {All.Count} recipes");

    private static List<Recipe> Build()
    {
        var list = new List<Recipe>();
        void Add(RecipeGroup group, string source, string row, string label, string regs, TrainOptions o, string error, string? time, string suffix = "")
        {
            var name = $"{source}-{o.Dataset}-{label}{(regs.Length > 0 ? "-" + regs : "")}-{o.Epochs}ep{suffix}";
            list.Add(new Recipe(name, group, row, o with { OutDir = "runs/" + name }, error, time));
        }

        // --- hysts, CIFAR-10, papers' settings ---
        var cifar = Base("cifar10");
        var plainPyramid = RegularizerSettings.None.With(ShakeDropDefinition.Key, 1.0);
        Add(PaperSettings, "hysts", "ResNet-preact-110", "resnet-preact-110", "",
            cifar with { Model = "resnet-preact-110", Epochs = 160, Lr = 0.1, Schedule = "multistep", Milestones = [80, 120], WeightDecay = 1e-4 },
            "6.47 (median of 3 runs)", "3h05m");
        Add(PaperSettings, "hysts", "WRN-28-10", "wrn-28-10", "",
            cifar with { Model = "wrn-28-10", Epochs = 200, BatchSize = 64, Lr = 0.1, Schedule = "multistep", Milestones = [60, 120, 160], LrDecay = 0.2, WeightDecay = 5e-4 },
            "4.03 (median of 3 runs)", "16h10m");
        Add(PaperSettings, "hysts", "DenseNet-BC-100 (k=12)", "densenet-bc-100-12", "",
            cifar with { Model = "densenet-bc-100-12", Epochs = 300, BatchSize = 32, Lr = 0.05, Schedule = "multistep", Milestones = [150, 225], WeightDecay = 1e-4 },
            "4.69 (median of 3 runs)", "15h20m");
        Add(PaperSettings, "hysts", "PyramidNet-110 (alpha=270)", "pyramidnet-110-270", "",
            cifar with { Model = "pyramidnet-110-270-shakedrop", Regularizers = plainPyramid, Epochs = 300, Lr = 0.1, Schedule = "multistep", Milestones = [150, 225], WeightDecay = 1e-4 },
            "3.92 (1 run)", "24h12m*");
        Add(PaperSettings, "hysts", "shake-shake-26 2x32d (S-S-I)", "shake-shake-26-2x32d", "",
            cifar with { Model = "shake-shake-26-2x32d", Epochs = 1800, Lr = 0.2, WeightDecay = 1e-4 }, "3.68 (median of 3 runs)", "33h49m");
        Add(PaperSettings, "hysts", "shake-shake-26 2x64d (S-S-I)", "shake-shake-26-2x64d", "",
            cifar with { Model = "shake-shake-26-2x64d", Epochs = 1800, BatchSize = 64, Lr = 0.1, WeightDecay = 1e-4 }, "2.88 (1 run)", "78h48m");
        Add(PaperSettings, "hysts", "shake-shake-26 2x96d (S-S-I)", "shake-shake-26-2x96d", "",
            cifar with { Model = "shake-shake-26-2x96d", Epochs = 1800, BatchSize = 64, Lr = 0.1, WeightDecay = 1e-4 }, "2.90 (1 run)", "101h32m*");

        // --- hysts, CIFAR-10, cosine from 0.2 ---
        var wrn = cifar with { Model = "wrn-28-10", Lr = 0.2, WeightDecay = 5e-4 };
        foreach (var (epochs, cutout, mixup, ricap, dual) in new[]
        {
            (200, ("3.19", "6h35m"), ("3.32", "6h35m"), ("2.83", "6h35m"), ("2.87", "12h42m")),
            (400, ("3.07", "13h10m"), ("3.04", "13h08m"), ("2.71", "13h08m"), ("2.76", "25h20m")),
        })
        {
            var o = wrn with { Epochs = epochs };
            Add(CosineTable, "hysts", "WRN-28-10, Cutout 16", "wrn-28-10", "cutout16", Cutout(o, 16), cutout.Item1 + " (1 run)", cutout.Item2);
            Add(CosineTable, "hysts", "WRN-28-10, mixup (alpha=1)", "wrn-28-10", "mixup1", Mixup(o, 1), mixup.Item1 + " (1 run)", mixup.Item2);
            Add(CosineTable, "hysts", "WRN-28-10, RICAP (beta=0.3)", "wrn-28-10", "ricap0.3", Ricap(o, crop: false), ricap.Item1 + " (1 run)", ricap.Item2);
            Add(CosineTable, "hysts", "WRN-28-10, Dual-Cutout (alpha=0.1)", "wrn-28-10", "dual-cutout0.1", DualCutout(o), dual.Item1 + " (1 run)", dual.Item2);
        }
        foreach (var (width, cutout, mixup, ricap, dual) in new[]
        {
            (64, ("2.64", "78h55m*"), ("2.63", "35h56m"), ("2.29", "35h10m"), ("2.64", "68h34m")),
            (96, ("2.50", "60h20m"), ("2.36", "60h20m"), ("2.10", "60h20m"), ("2.41", "113h09m")),
        })
        {
            var label = $"shake-shake-26-2x{width}d";
            var o = cifar with { Model = label, Epochs = 1800, Lr = 0.2, WeightDecay = 1e-4 };
            var row = $"shake-shake-26 2x{width}d";
            Add(CosineTable, "hysts", row + ", Cutout 16", label, "cutout16", Cutout(o, 16), cutout.Item1 + " (1 run)", cutout.Item2);
            Add(CosineTable, "hysts", row + ", mixup (alpha=1)", label, "mixup1", Mixup(o, 1), mixup.Item1 + " (1 run)", mixup.Item2);
            Add(CosineTable, "hysts", row + ", RICAP (beta=0.3)", label, "ricap0.3", Ricap(o, crop: false), ricap.Item1 + " (1 run)", ricap.Item2);
            Add(CosineTable, "hysts", row + ", Dual-Cutout (alpha=0.1)", label, "dual-cutout0.1", DualCutout(o), dual.Item1 + " (1 run)", dual.Item2);
        }

        // --- hysts, CIFAR-10, one GPU at batch 512 ---
        Add(SingleGpu, "hysts", "WRN-28-10, RICAP (beta=0.3), batch 512, 1 GPU", "wrn-28-10", "ricap0.3",
            Ricap(wrn with { Epochs = 200, BatchSize = 512 }, crop: false), "2.63 (1 run)", "3h41m", "-b512");

        // --- hysts, CIFAR-10, label smoothing / mixup / RICAP / Dual-Cutout experiments ---
        var rp20 = cifar with { Model = "resnet-preact-20", Lr = 0.2, WeightDecay = 1e-4 };
        foreach (var (epochs, t) in new[]
        {
            (200, new[] { ("7.60", "24m"), ("7.51", "25m"), ("7.21", "25m"), ("7.57", "25m"), ("7.24", "26m"), ("6.88", "28m"), ("6.77", "28m"), ("6.24", "45m") }),
            (400, new[] { ("7.05", "49m"), ("7.20", "49m"), ("6.97", "49m"), ("7.16", "49m"), ("6.66", "51m"), ("6.30", "56m"), ("6.19", "56m"), ("5.55", "1h36m") }),
        })
        {
            var o = rp20 with { Epochs = epochs };
            const string median = " (median of 3 runs)";
            Add(ObjectiveExperiments, "hysts", "ResNet-preact-20", "resnet-preact-20", "", o, t[0].Item1 + median, t[0].Item2);
            Add(ObjectiveExperiments, "hysts", "ResNet-preact-20, label smoothing (epsilon=0.001)", "resnet-preact-20", "ls0.001", Smooth(o, 0.001), t[1].Item1 + median, t[1].Item2);
            Add(ObjectiveExperiments, "hysts", "ResNet-preact-20, label smoothing (epsilon=0.01)", "resnet-preact-20", "ls0.01", Smooth(o, 0.01), t[2].Item1 + median, t[2].Item2);
            Add(ObjectiveExperiments, "hysts", "ResNet-preact-20, label smoothing (epsilon=0.1)", "resnet-preact-20", "ls0.1", Smooth(o, 0.1), t[3].Item1 + median, t[3].Item2);
            Add(ObjectiveExperiments, "hysts", "ResNet-preact-20, mixup (alpha=1)", "resnet-preact-20", "mixup1", Mixup(o, 1), t[4].Item1 + median, t[4].Item2);
            Add(ObjectiveExperiments, "hysts", "ResNet-preact-20, RICAP (beta=0.3), w/ random crop", "resnet-preact-20", "ricap0.3-crop", Ricap(o, crop: true), t[5].Item1 + median, t[5].Item2);
            Add(ObjectiveExperiments, "hysts", "ResNet-preact-20, RICAP (beta=0.3)", "resnet-preact-20", "ricap0.3", Ricap(o, crop: false), t[6].Item1 + median, t[6].Item2);
            Add(ObjectiveExperiments, "hysts", "ResNet-preact-20, Dual-Cutout 16 (alpha=0.1)", "resnet-preact-20", "dual-cutout0.1", DualCutout(o), t[7].Item1 + median, t[7].Item2);
        }

        // --- hysts, CIFAR-10, residual units: the standard unit ---
        Add(ResidualUnits, "hysts", "w/ 1st ReLU, w/o last BN, preactivate shortcut after downsampling", "resnet-preact-56", "lr0.2",
            cifar with { Model = "resnet-preact-56", Epochs = 160, Lr = 0.2, Schedule = "multistep", Milestones = [80, 120], WeightDecay = 1e-4 },
            "6.45 (median of 5 runs)", "95 min");

        // --- hysts, Fashion-MNIST ---
        var fashion = Base("fashion-mnist") with { Lr = 0.2, WeightDecay = 1e-4 };
        foreach (var (width, cutout, epochs, error, time) in new[]
        {
            (32, 12, 400, "4.08", "3h41m"), (32, 14, 400, "4.05", "3h39m"),
            (96, 12, 400, "3.72", "13h46m"), (96, 14, 400, "3.85", "13h39m"),
            (96, 12, 800, "3.65", "26h42m"), (96, 14, 800, "3.60", "26h42m"),
        })
        {
            Add(FashionTables, "hysts", $"shake-shake-26 2x{width}d (S-S-I), Cutout {cutout}", $"shake-shake-26-2x{width}d", $"cutout{cutout}",
                Cutout(fashion with { Model = $"shake-shake-26-2x{width}d", Epochs = epochs }, cutout), error + " (1 run)", time);
        }
        var fashionRp20 = fashion with { Model = "resnet-preact-20", Epochs = 200 };
        const string fashionMedian = " (median of 3 runs)";
        Add(FashionTables, "hysts", "ResNet-preact-20", "resnet-preact-20", "", fashionRp20, "5.04" + fashionMedian, "26m");
        foreach (var (cutout, error) in new[] { (6, "4.84"), (8, "4.64"), (10, "4.74"), (12, "4.68"), (14, "4.64"), (16, "4.49") })
            Add(FashionTables, "hysts", $"ResNet-preact-20, Cutout {cutout,2}", "resnet-preact-20", $"cutout{cutout}", Cutout(fashionRp20, cutout), error + fashionMedian, "26m");
        Add(FashionTables, "hysts", "ResNet-preact-20, RandomErasing", "resnet-preact-20", "random-erasing",
            fashionRp20 with { Regularizers = fashionRp20.Regularizers.With("random-erasing", 0.5) }, "4.61" + fashionMedian, "26m");
        Add(FashionTables, "hysts", "ResNet-preact-20, Mixup", "resnet-preact-20", "mixup1", Mixup(fashionRp20, 1), "4.92" + fashionMedian, "26m");
        Add(FashionTables, "hysts", "ResNet-preact-20, Mixup", "resnet-preact-20", "mixup1", Mixup(fashionRp20 with { Epochs = 400 }, 1), "4.64" + fashionMedian, "52m");

        // --- hysts, MNIST ---
        var mnist = Base("mnist") with { Lr = 0.2, WeightDecay = 1e-4, Epochs = 100, RandomCrop = false, HorizontalFlip = false };
        var mnistRp20 = mnist with { Model = "resnet-preact-20" };
        const string mnistMedian = " (median of 3 runs)";
        Add(MnistTable, "hysts", "ResNet-preact-20", "resnet-preact-20", "", mnistRp20, "0.40" + mnistMedian, "12m");
        foreach (var (cutout, error) in new[] { (6, "0.32"), (8, "0.25"), (10, "0.27"), (12, "0.26"), (14, "0.26"), (16, "0.25") })
            Add(MnistTable, "hysts", $"ResNet-preact-20, Cutout {cutout,2}", "resnet-preact-20", $"cutout{cutout}", Cutout(mnistRp20, cutout), error + mnistMedian, "12m");
        Add(MnistTable, "hysts", "ResNet-preact-20, Mixup (alpha=1)", "resnet-preact-20", "mixup1", Mixup(mnistRp20, 1), "0.40" + mnistMedian, "12m");
        Add(MnistTable, "hysts", "ResNet-preact-20, Mixup (alpha=0.5)", "resnet-preact-20", "mixup0.5", Mixup(mnistRp20, 0.5), "0.38" + mnistMedian, "12m");
        Add(MnistTable, "hysts", "shake-shake-26 2x96d (S-S-I), Cutout 14", "shake-shake-26-2x96d", "cutout14",
            Cutout(mnist with { Model = "shake-shake-26-2x96d" }, 14), "0.24" + mnistMedian, "3h22m");

        // --- hysts, Kuzushiji-MNIST ---
        var kmnist = Base("kmnist") with { Lr = 0.2, WeightDecay = 1e-4, Epochs = 200, HorizontalFlip = false };
        Add(KmnistTable, "hysts", "ResNet-preact-20, Cutout 14", "resnet-preact-20", "cutout14",
            Cutout(kmnist with { Model = "resnet-preact-20" }, 14), "0.82 (median of 3 runs; best 0.67)", "24m");
        Add(KmnistTable, "hysts", "PyramidNet-110-270, Cutout 14", "pyramidnet-110-270", "cutout14",
            Cutout(kmnist with { Model = "pyramidnet-110-270-shakedrop", Regularizers = kmnist.Regularizers.Overlay(plainPyramid) }, 14), "0.72 (median of 3 runs; best 0.70)", "10h05m");
        Add(KmnistTable, "hysts", "shake-shake-26 2x96d (S-S-I), Cutout 14", "shake-shake-26-2x96d", "cutout14",
            Cutout(kmnist with { Model = "shake-shake-26-2x96d" }, 14), "0.66 (median of 3 runs; best 0.63)", "6h46m");

        // --- Gastaldi 2017 ---
        var paper = cifar with { Epochs = 1800, Lr = 0.2, WeightDecay = 1e-4 };
        Add(ShakeShakePaper, "gastaldi2017", "26 2x32d, Shake-Shake-Image", "shake-shake-26-2x32d", "ssi", paper with { Model = "shake-shake-26-2x32d" }, "3.55 (average of 3 runs)", null);
        Add(ShakeShakePaper, "gastaldi2017", "26 2x64d, Shake-Shake-Image", "shake-shake-26-2x64d", "ssi", paper with { Model = "shake-shake-26-2x64d" }, "2.98 (average of 3 runs)", null);
        Add(ShakeShakePaper, "gastaldi2017", "26 2x96d, Shake-Shake-Image", "shake-shake-26-2x96d", "ssi", paper with { Model = "shake-shake-26-2x96d" }, "2.86 (average of 5 runs)", null);
        Add(ShakeShakePaper, "gastaldi2017", "29 2x4x64d, Shake-Even-Image (CIFAR-100)", "resnext-29-2x4x64d", "sei",
            Base("cifar100") with { Model = "resnext-29-2x4x64d-shake", Epochs = 1800, BatchSize = 32, Lr = 0.025, WeightDecay = 5e-4 },
            "15.85", null);

        var duplicate = list.GroupBy(r => r.Name).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null) throw new InvalidOperationException($"two recipes are named '{duplicate.Key}'");
        return list;
    }

    /// <summary>What every recipe shares: SGD with Nesterov momentum 0.9, cosine unless a row says multistep, crop and flip, f32.</summary>
    private static TrainOptions Base(string dataset) => new()
    {
        Dataset = dataset,
        BatchSize = 128,
        Schedule = "cosine",
        Momentum = 0.9,
        Nesterov = true,
        Precision = "f32",
    };

    private static TrainOptions Cutout(TrainOptions o, int size) => o with { Regularizers = o.Regularizers.With("cutout", size) };

    private static TrainOptions Mixup(TrainOptions o, double alpha) => o with { Regularizers = o.Regularizers.With("mixup", alpha) };

    private static TrainOptions Ricap(TrainOptions o, bool crop) => o with { RandomCrop = crop, Regularizers = o.Regularizers.With("ricap", 0.3) };

    private static TrainOptions DualCutout(TrainOptions o) => o with { Regularizers = o.Regularizers.With("dual-cutout", 0.1, ("size", 16)) };

    private static TrainOptions Smooth(TrainOptions o, double epsilon) => o with { Regularizers = o.Regularizers.With("label-smoothing", epsilon) };
}
