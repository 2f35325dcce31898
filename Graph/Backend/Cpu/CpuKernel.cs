namespace StaticGraph.Backend.Cpu;

/// <summary>
/// The CPU implementation of one node, prepared at compile time with its buffers fixed, so that a
/// run only calls <see cref="Run"/>: no allocation, no lookups.
/// </summary>
public abstract class CpuKernel
{
    /// <summary>Computes the node's value into its output buffer.</summary>
    public abstract void Run(CpuContext ctx);
}

/// <summary>Marks a <see cref="CpuKernel"/> as the CPU implementation of an op type; it needs a constructor taking <see cref="CpuKernelArgs"/>.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true)]
public sealed class CpuKernelForAttribute(Type opType) : Attribute
{
    /// <summary>The op type implemented.</summary>
    public Type OpType { get; } = opType;
}

/// <summary>What a kernel's constructor gets: its node, buffers, mode, and a way to ask for scratch memory.</summary>
public sealed class CpuKernelArgs
{
    internal CpuKernelArgs(Node node, CpuTensor output, CpuTensor[] inputs, ProgramMode mode, int workers)
    {
        Node = node;
        Output = output;
        Inputs = inputs;
        Mode = mode;
        Workers = workers;
    }

    /// <summary>The node implemented.</summary>
    public Node Node { get; }

    /// <summary>The output buffer.</summary>
    public CpuTensor Output { get; }

    /// <summary>The input buffers, in the node's input order.</summary>
    public IReadOnlyList<CpuTensor> Inputs { get; }

    /// <summary>Training or inference semantics.</summary>
    public ProgramMode Mode { get; }

    /// <summary>Number of worker threads that may run tasks at once.</summary>
    public int Workers { get; }

    /// <summary>Bytes of scratch requested per worker; available at run time as <see cref="CpuContext.ScratchFor"/>.</summary>
    public long ScratchBytesPerWorker { get; private set; }

    /// <summary>Asks for <paramref name="bytes"/> of scratch memory per worker thread.</summary>
    public void RequestScratchPerWorker(long bytes) => ScratchBytesPerWorker = Math.Max(ScratchBytesPerWorker, bytes);
}
