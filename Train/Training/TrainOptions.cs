using StaticGraph.Regularizers;

namespace StaticGraph.Train.Training;

/// <summary>Everything a training run is configured by.</summary>
public sealed record TrainOptions
{
    /// <summary>Data set name (fashion-mnist, mnist, kmnist, cifar10, cifar100).</summary>
    public string Dataset { get; init; } = "fashion-mnist";

    /// <summary>Model name from the zoo.</summary>
    public string Model { get; init; } = "resnet-preact-20";

    /// <summary>Passes over the training set.</summary>
    public int Epochs { get; init; } = 1;

    /// <summary>Images per step.</summary>
    public int BatchSize { get; init; } = 128;

    /// <summary>Base learning rate.</summary>
    public double Lr { get; init; } = 0.1;

    /// <summary>constant, cosine or multistep.</summary>
    public string Schedule { get; init; } = "cosine";

    /// <summary>
    /// The epochs at which multistep multiplies the rate by <see cref="LrDecay"/> (counted from the start of
    /// training); null keeps the ResNet papers' half and three quarters of training. Other schedules ignore it.
    /// </summary>
    public int[]? Milestones { get; init; }

    /// <summary>The factor multistep applies at each milestone (0.1 in the ResNet papers, 0.2 for WRN).</summary>
    public double LrDecay { get; init; } = 0.1;

    /// <summary>Linear warmup epochs before the schedule.</summary>
    public int WarmupEpochs { get; init; }

    /// <summary>SGD momentum.</summary>
    public double Momentum { get; init; } = 0.9;

    /// <summary>L2 weight decay.</summary>
    public double WeightDecay { get; init; } = 5e-4;

    /// <summary>Nesterov momentum.</summary>
    public bool Nesterov { get; init; } = true;

    /// <summary>Exempt BN and bias parameters from weight decay.</summary>
    public bool NoDecayOnNormAndBias { get; init; }

    /// <summary>The run's seed.</summary>
    public ulong Seed { get; init; }

    /// <summary>Output folder (metrics.csv, checkpoint, curves.png).</summary>
    public string OutDir { get; init; } = "runs/default";

    /// <summary>Train on the first N images only (0: all).</summary>
    public int TrainLimit { get; init; }

    /// <summary>Evaluate on the first N test images only (0: all).</summary>
    public int TestLimit { get; init; }

    /// <summary>CPU threads (0: all cores).</summary>
    public int Threads { get; init; }

    /// <summary>The backend: auto (CUDA when a GPU is usable, else the CPU), cpu or cuda. Not part of the run's identity: a resumed run may change it.</summary>
    public string Device { get; init; } = "auto";

    /// <summary>f32, or on the GPU tf32, bf16 or fp16 for convolutions and matrix products (master weights stay f32).</summary>
    public string Precision { get; init; } = "f32";

    /// <summary>Folder with the data set files, searched before the default location.</summary>
    public string? DataDir { get; init; }

    /// <summary>Standard augmentation at all: when false, neither the crop nor the flip is applied.</summary>
    public bool Augment { get; init; } = true;

    /// <summary>Pad-4 random crop (off for MNIST in the published recipes, and for RICAP, which crops itself).</summary>
    public bool RandomCrop { get; init; } = true;

    /// <summary>Random horizontal flip (off for MNIST and Kuzushiji-MNIST, whose characters are not mirror-symmetric).</summary>
    public bool HorizontalFlip { get; init; } = true;

    /// <summary>The crop and flip a run's training batches get (a method, so it is not saved with the options).</summary>
    public StaticGraph.Data.AugmentOptions TrainingAugmentation() =>
        new(RandomCrop: Augment && RandomCrop, Padding: 4, HorizontalFlip: Augment && HorizontalFlip);

    /// <summary>
    /// The regularizers by name (<see cref="RegularizerCatalog"/>): those of the batch and the loss make the training
    /// objective, those of the model (shake, ShakeDrop, stochastic depth...) go to the model.
    /// </summary>
    public RegularizerSettings Regularizers { get; init; } = RegularizerSettings.None;
}
