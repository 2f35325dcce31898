namespace StaticGraph.Backend.Cpu;

/// <summary>
/// The CPU implementation of one node, prepared at compile time with its buffers fixed, so that a
/// run only calls <see cref="Run"/>: no allocation, no lookups.
/// </summary>
public abstract class CpuKernel
{
    /// <summary>Computes the node's value (every output, for a multi-output op) into its output buffers.</summary>
    public abstract void Run(CpuContext ctx);
}

/// <summary>
/// Marks a <see cref="CpuKernel"/> as the CPU implementation of an op type; it needs a constructor taking
/// <see cref="CpuKernelArgs"/>. A kernel written once for every element type is a generic class <c>XKernel&lt;T&gt;</c>:
/// <see cref="CpuKernelRegistry"/> instantiates it with the .NET type of the node's dtype (output 0's), for every dtype
/// of the backend its constraints admit, so no kernel branches on the dtype itself.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true)]
public sealed class CpuKernelForAttribute(Type opType) : Attribute
{
    /// <summary>The op type implemented.</summary>
    public Type OpType { get; } = opType;
}

/// <summary>What a kernel's constructor gets: its node, buffers, mode, and a way to ask for scratch memory.</summary>
public sealed class CpuKernelArgs
{
    internal CpuKernelArgs(Node node, CpuTensor[] outputs, CpuTensor[] inputs, ProgramMode mode, int workers,
        CpuRowSource?[]? inputRows = null, (Node Node, CpuTensor Tensor)[]? fusedConsumers = null, Distributed.ICommunicator? communicator = null)
    {
        Communicator = communicator;
        Node = node;
        Outputs = outputs;
        Inputs = inputs;
        Mode = mode;
        Workers = workers;
        InputRows = inputRows ?? new CpuRowSource?[inputs.Length];
        FusedConsumers = fusedConsumers ?? [];
    }

    /// <summary>The node implemented.</summary>
    public Node Node { get; }

    /// <summary>The output buffer (output 0, the node's own value).</summary>
    public CpuTensor Output => Outputs[0];

    /// <summary>
    /// Every output buffer, in the order of <see cref="StaticGraph.Node.Outputs"/> (one unless the op has several outputs);
    /// one that the fusion plan does not store has no bytes (<see cref="CpuTensor.IsStored"/>), and the kernel must not write it.
    /// </summary>
    public IReadOnlyList<CpuTensor> Outputs { get; }

    /// <summary>The input buffers, in the node's input order (without bytes where <see cref="InputRows"/> stands in).</summary>
    public IReadOnlyList<CpuTensor> Inputs { get; }

    /// <summary>
    /// Per input, null where the kernel reads the input's buffer, else the rows to recompute it from: the fusion plan
    /// hands these only to kernels that take them (a convolution's input, the dy of a batch-norm gradient).
    /// </summary>
    public IReadOnlyList<CpuRowSource?> InputRows { get; }

    /// <summary>Consumers the fusion plan has this kernel compute too (a ReLU of batch norm), each with its buffer.</summary>
    public IReadOnlyList<(Node Node, CpuTensor Tensor)> FusedConsumers { get; }

    /// <summary>Training or inference semantics.</summary>
    public ProgramMode Mode { get; }

    /// <summary>Number of worker threads that may run tasks at once.</summary>
    public int Workers { get; }

    /// <summary>The ranks a data-parallel program's <c>all_reduce</c> kernels reduce over (null in a single process).</summary>
    public Distributed.ICommunicator? Communicator { get; }

    /// <summary>Bytes of scratch requested per worker; available at run time as <see cref="CpuContext.ScratchFor"/>.</summary>
    public long ScratchBytesPerWorker { get; private set; }

    /// <summary>Asks for <paramref name="bytes"/> of scratch memory per worker thread.</summary>
    public void RequestScratchPerWorker(long bytes) => ScratchBytesPerWorker = Math.Max(ScratchBytesPerWorker, bytes);

    /// <summary>Bytes of scratch requested for the whole kernel; available at run time as <see cref="CpuContext.SharedScratch"/>.</summary>
    public long SharedScratchBytes { get; private set; }

    /// <summary>
    /// Asks for <paramref name="bytes"/> of scratch memory that every task of this kernel may use (each its own part),
    /// valid while the kernel runs. Kernels run one at a time, so all of them share one block: the largest request.
    /// </summary>
    public void RequestSharedScratch(long bytes) => SharedScratchBytes = Math.Max(SharedScratchBytes, bytes);
}
