namespace StaticGraph.Backend;

/// <summary>Turns programs into executables on one kind of device.</summary>
public interface IBackend
{
    /// <summary>A short name ("cpu", "cuda").</summary>
    string Name { get; }

    /// <summary>
    /// The dtypes this backend computes and stores. <see cref="Compile"/> refuses a program with a value of any other
    /// dtype, naming the node, its op and the dtype, before anything is allocated (see <see cref="DTypeSupport"/>).
    /// </summary>
    IReadOnlySet<DType> SupportedDTypes { get; }

    /// <summary>Compiles <paramref name="program"/>: plans memory, prepares kernels, initialises variables.</summary>
    IExecutable Compile(GraphProgram program, CompileOptions options);

    /// <summary>
    /// Keeps <paramref name="images"/> where this backend computes and assembles batches of up to <paramref name="maxBatch"/>
    /// images there, or null when batches are best assembled on the host and fed with <see cref="IExecutable.SetInput"/>
    /// (the CPU).
    /// </summary>
    IImageBatchSource? CreateImageSource(ImageSet images, int maxBatch) => null;
}

/// <summary>Options for <see cref="IBackend.Compile"/>.</summary>
/// <param name="Seed">The run's seed: the Philox key of every random op and initialiser.</param>
/// <param name="Threads">CPU threads (0: all cores).</param>
/// <param name="ShareVariablesWith">Another executable whose variables this one reads and writes (inference beside training).</param>
/// <param name="Communicator">
/// The ranks of a data-parallel run, which the program's <c>all_reduce</c> nodes reduce over (see <see cref="DataParallel"/>);
/// null for a single process, which a program with <c>all_reduce</c> nodes is refused for (<see cref="Collectives"/>).
/// With a communicator of rank r &gt; 0 the random ops draw from a key of their own (<see cref="Distributed.RankSeed"/>),
/// so that the ranks' slices get independent draws, while the variables are initialised from <paramref name="Seed"/> alike.
/// </param>
public sealed record CompileOptions(ulong Seed = 0, int Threads = 0, IExecutable? ShareVariablesWith = null, Distributed.ICommunicator? Communicator = null)
{
    /// <summary>The Philox key of the random ops on this rank: <see cref="Seed"/> on rank 0 and in a single process.</summary>
    public ulong DrawSeed => Distributed.RankSeed.For(Seed, Communicator?.Rank ?? 0);
}
