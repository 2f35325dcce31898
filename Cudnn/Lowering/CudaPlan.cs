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

    /// <summary>
    /// Offset of the control block, written by the host before every run: the seed (u64 at 0), the step (u64 at 8), the
    /// non-finite flag of the update guards (u32 at 16, <see cref="FiniteCheckKernel.FlagOffset"/>), whether the guard is on
    /// (u32 at 20, <see cref="GuardedUpdateKernel.GuardEnabledOffset"/>),
    /// the FP16 loss scale (f32 at 24, <see cref="LossScaleOffset"/>) and the FP16 overflow flag (u32 at 28,
    /// <see cref="OverflowFlagOffset"/>).
    /// </summary>
    public const long ControlOffset = 0;

    /// <summary>
    /// Offset of the dynamic loss scale S (an f32, a power of two) that FP16 conversions of gradients multiply by and the
    /// conversions of their products divide by (see <see cref="DynamicLossScale"/>). 1 when no loss scaling is used.
    /// </summary>
    public const long LossScaleOffset = ControlOffset + 24;

    /// <summary>Offset of the FP16 overflow flag (a u32): raised when a conversion to or from half meets an infinity or NaN.</summary>
    public const long OverflowFlagOffset = ControlOffset + 28;

    /// <summary>Bytes reserved for the control block.</summary>
    public const long ControlBytes = Alignment;

    internal CudaPlan(GraphProgram program, ElementwiseFusion fusion, MemoryPlan memory, IReadOnlyDictionary<Node, DeviceAddress> addresses,
        IReadOnlyList<ConstantSlot> constants, IReadOnlyList<CudaCommand> commands, IReadOnlyList<LaunchCommand> guards, IReadOnlyList<LaunchCommand> updates,
        long activationsOffset, long scratchOffset, long scratchBytes, CudaPlanOptions options, bool usesLossScale)
    {
        Program = program;
        Options = options;
        UsesLossScale = usesLossScale;
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
        Kernels = commands.OfType<LaunchCommand>().Concat(guards).Concat(updates).Select(c => c.Kernel).DistinctBy(k => k.Name).ToList();
    }

    /// <summary>The program planned.</summary>
    public GraphProgram Program { get; }

    /// <summary>The options the program was planned with.</summary>
    public CudaPlanOptions Options { get; }

    /// <summary>
    /// True when some command converts to or from FP16, so that the loss scale and overflow flag of the control block are
    /// read: a training run then follows <see cref="DynamicLossScale"/> (skipping the updates of a step that overflowed).
    /// </summary>
    public bool UsesLossScale { get; }

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

    /// <summary>The state updates: guarded copies of new values into variables (<see cref="GuardedUpdateKernel"/>), issued after the guards.</summary>
    public IReadOnlyList<LaunchCommand> Updates { get; }

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
