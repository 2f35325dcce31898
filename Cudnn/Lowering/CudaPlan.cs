using StaticGraph.Cuda.Kernels;
using StaticGraph.Ops;
using StaticGraph.Passes;

namespace StaticGraph.Cuda.Lowering;

/// <summary>A constant's place in the arena and its initial bytes.</summary>
/// <param name="Node">The constant node.</param>
/// <param name="Address">Where it lives.</param>
/// <param name="Bytes">Its value.</param>
public sealed record ConstantSlot(Node Node, DeviceAddress Address, byte[] Bytes);

/// <summary>
/// A program planned for the CUDA backend, before any device is touched: the arena layout (control block, constants,
/// activations from the memory plan, scratch), where every value lives, and the command list. Everything a device needs is
/// here, and nothing here needs a device, so the plan is what the tests check on machines without a GPU.
/// </summary>
public sealed class CudaPlan
{
    /// <summary>Alignment of every arena region and constant (cuDNN and vector loads like 256).</summary>
    public const int Alignment = 256;

    /// <summary>Offset of the control block: the seed (u64), the step (u64), then the non-finite flag (u32).</summary>
    public const long ControlOffset = 0;

    /// <summary>Bytes reserved for the control block.</summary>
    public const long ControlBytes = Alignment;

    internal CudaPlan(Program program, ElementwiseFusion fusion, MemoryPlan memory, IReadOnlyDictionary<Node, DeviceAddress> addresses,
        IReadOnlyList<ConstantSlot> constants, IReadOnlyList<CudaCommand> commands, IReadOnlyList<LaunchCommand> guards, IReadOnlyList<CopyCommand> updates,
        long activationsOffset, long scratchOffset, long scratchBytes)
    {
        Program = program;
        Fusion = fusion;
        Memory = memory;
        Addresses = addresses;
        Constants = constants;
        Commands = commands;
        Guards = guards;
        Updates = updates;
        ActivationsOffset = activationsOffset;
        ScratchOffset = scratchOffset;
        ScratchBytes = scratchBytes;
        Kernels = commands.OfType<LaunchCommand>().Concat(guards).Select(c => c.Kernel).DistinctBy(k => k.Name).ToList();
    }

    /// <summary>The program planned.</summary>
    public Program Program { get; }

    /// <summary>The elementwise groups (each computed by one kernel).</summary>
    public ElementwiseFusion Fusion { get; }

    /// <summary>The activation layout.</summary>
    public MemoryPlan Memory { get; }

    /// <summary>Where each materialised value lives (interior members of fused groups have no place).</summary>
    public IReadOnlyDictionary<Node, DeviceAddress> Addresses { get; }

    /// <summary>The constants and their initial values.</summary>
    public IReadOnlyList<ConstantSlot> Constants { get; }

    /// <summary>The commands of one run, in order (without the state updates).</summary>
    public IReadOnlyList<CudaCommand> Commands { get; }

    /// <summary>Launches that raise the control block's flag when an update's new value holds NaN or infinity.</summary>
    public IReadOnlyList<LaunchCommand> Guards { get; }

    /// <summary>The state updates: copies of new values into variables, issued after <see cref="Commands"/>.</summary>
    public IReadOnlyList<CopyCommand> Updates { get; }

    /// <summary>Every distinct kernel the commands launch.</summary>
    public IReadOnlyList<CudaKernelSource> Kernels { get; }

    /// <summary>Where the activations start.</summary>
    public long ActivationsOffset { get; }

    /// <summary>Where the scratch region starts.</summary>
    public long ScratchOffset { get; }

    /// <summary>Bytes of scratch.</summary>
    public long ScratchBytes { get; }

    /// <summary>Bytes of the whole arena.</summary>
    public long ArenaBytes => ScratchOffset + ScratchBytes;

    /// <summary>Every variable the program reads, by node (each lives in its own allocation).</summary>
    public IReadOnlyList<Node> Variables => Program.Variables;

    /// <summary>True when <paramref name="n"/>'s value can be read after a run (its buffer is not reused).</summary>
    public bool IsReadable(Node n) =>
        Addresses.ContainsKey(n) && (Memory.BufferOf(n) is not { } b || b.End >= Program.Nodes.Count || n.Op is InputOp);

    /// <summary>One translation unit holding every kernel (helpers are include-guarded), for one compile per plan.</summary>
    public string ModuleSource() => string.Join("\n", Kernels.Select(k => k.Source));
}
