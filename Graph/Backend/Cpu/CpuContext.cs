namespace StaticGraph.Backend.Cpu;

/// <summary>What a kernel sees at run time.</summary>
public sealed unsafe class CpuContext
{
    internal CpuContext(CpuWorkers workers, ulong seed, byte* scratch, long scratchPerWorker, byte* sharedScratch)
    {
        Workers = workers;
        Seed = seed;
        _scratch = scratch;
        _scratchPerWorker = scratchPerWorker;
        SharedScratch = sharedScratch;
    }

    private readonly byte* _scratch;
    private readonly long _scratchPerWorker;

    /// <summary>The thread pool that runs parallel tasks.</summary>
    public CpuWorkers Workers { get; }

    /// <summary>The run's seed (the Philox key).</summary>
    public ulong Seed { get; }

    /// <summary>The training step being run (the Philox counter's step word).</summary>
    public long Step { get; internal set; }

    /// <summary>Scratch memory private to worker <paramref name="worker"/> during the current kernel.</summary>
    public byte* ScratchFor(int worker) => _scratch + worker * _scratchPerWorker;

    /// <summary>Scratch memory of the current kernel as a whole (<see cref="CpuKernelArgs.RequestSharedScratch"/>), 64-byte aligned.</summary>
    public byte* SharedScratch { get; }
}
