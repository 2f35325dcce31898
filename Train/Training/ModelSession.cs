using StaticGraph.Backend;
using StaticGraph.Backend.Cpu;
using StaticGraph.Distributed;
using StaticGraph.Models;
using StaticGraph.Regularizers;

namespace StaticGraph.Train.Training;

/// <summary>
/// One model compiled for training and for evaluation: the graph (images, labels, logits, loss),
/// the training program with its optimizer and schedule, and an inference executable that shares
/// the training executable's variables. Given a communicator of several ranks, the session is one rank's: its batch is
/// the rank's slice, and the training program averages gradients over the ranks (<see cref="DataParallel"/>).
/// </summary>
public sealed class ModelSession : IDisposable
{
    /// <summary>Name of the image input.</summary>
    public const string ImageInput = "image";

    /// <summary>Name of the label input.</summary>
    public const string LabelInput = "label";

    /// <summary>
    /// Builds and compiles <paramref name="model"/> for images of the given geometry; <paramref name="batchSize"/> is this
    /// rank's share of the batch when <paramref name="world"/> has several ranks. <paramref name="beforeCompile"/> sees the
    /// training program and the backend before anything is compiled (the ranks compare them there: compiling for a GPU
    /// already talks to the other ranks).
    /// </summary>
    public ModelSession(ModelBuilder model, int batchSize, int channels, int height, int width, int classes,
        IOptimizer optimizer, Schedule schedule, ulong seed, int threads, ITrainingObjective? objective = null, IBackend? backend = null,
        ICommunicator? world = null, Action<GraphProgram, IBackend>? beforeCompile = null)
    {
        world ??= SingleProcess.Instance;
        var b = new GraphBuilder(DType.F32);
        var images = b.Input(ImageInput, DType.F32, batchSize, channels, height, width);
        var labels = b.Input(LabelInput, DType.I32, batchSize);
        (Loss, Logits) = (objective ?? new CrossEntropyObjective([])).Build(b, x => model(b, x, classes), images, labels, classes);
        TrainingProgram = Autodiff.Train(Loss, optimizer, schedule, world.Size > 1 ? new DataParallel(world.Size) : null, Logits);
        InferenceProgram = GraphProgram.Inference(Logits);
        backend ??= CpuBackend.Instance;
        Backend = backend;
        beforeCompile?.Invoke(TrainingProgram, backend);
        Training = backend.Compile(TrainingProgram, new CompileOptions(seed, threads, Communicator: world.Size > 1 ? world : null));
        Inference = backend.Compile(InferenceProgram, new CompileOptions(seed, threads, ShareVariablesWith: Training));
        BatchSize = batchSize;
        Classes = classes;
        ParameterCount = TrainingProgram.Variables
            .Where(v => v.Op is VariableOp { Kind: VariableKind.Parameter })
            .Sum(v => v.Shape.ElementCount);
    }

    /// <summary>
    /// The session a training run with <paramref name="o"/> uses on images like <paramref name="data"/>'s: on each rank of
    /// <paramref name="world"/>, that rank's share of the batch on the machine's device of its local rank.
    /// </summary>
    public static ModelSession ForRun(TrainOptions o, StaticGraph.Data.ImageDataset data, int stepsPerEpoch, ICommunicator? world = null,
        Action<GraphProgram, IBackend>? beforeCompile = null)
    {
        world ??= SingleProcess.Instance;
        return new(ModelZoo.Get(o.Model, o.Regularizers), RankShare.Of(o.BatchSize, world).Count, data.Channels, data.Height, data.Width, data.ClassCount,
            new Sgd(o.Momentum, o.WeightDecay, o.Nesterov, o.NoDecayOnNormAndBias), ScheduleFactory.Create(o, stepsPerEpoch),
            o.Seed, o.Threads, RegularizerCatalog.Objective(o.Regularizers),
            DeviceChoice.Resolve(o.Device, world.Rank == 0 ? Console.Error : null, o.Precision, world.LocalRank), world, beforeCompile);
    }

    /// <summary>The backend both executables run on.</summary>
    public IBackend Backend { get; }

    /// <summary>The logits node [N, classes].</summary>
    public Node Logits { get; }

    /// <summary>The scalar mean cross-entropy.</summary>
    public Node Loss { get; }

    /// <summary>Forward, backward, updates.</summary>
    public GraphProgram TrainingProgram { get; }

    /// <summary>Forward in inference mode.</summary>
    public GraphProgram InferenceProgram { get; }

    /// <summary>The compiled training step.</summary>
    public IExecutable Training { get; }

    /// <summary>The compiled evaluation (shares the training variables).</summary>
    public IExecutable Inference { get; }

    /// <summary>Images per step.</summary>
    public int BatchSize { get; }

    /// <summary>Number of classes.</summary>
    public int Classes { get; }

    /// <summary>Trainable scalars.</summary>
    public long ParameterCount { get; }

    /// <summary>Frees both executables.</summary>
    public void Dispose()
    {
        Inference.Dispose();
        Training.Dispose();
    }
}
