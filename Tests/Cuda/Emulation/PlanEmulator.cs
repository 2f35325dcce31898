using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using StaticGraph.Backend;
using StaticGraph.Backend.Cpu;
using StaticGraph.Cuda.Lowering;

namespace StaticGraph.Tests.Cuda.Emulation;

/// <summary>
/// Runs a <see cref="CudaPlan"/> on the host: the arena and variables in host memory, every launch through the generated
/// kernels compiled as host C++ (<see cref="HostKernelLibrary"/>), convolutions and GEMMs by straightforward loops that
/// follow cuDNN's and cuBLAS's definitions. What it proves without a GPU: the plan's layout, arguments, fusion and every
/// generated kernel's arithmetic, and our reading of the cuDNN/cuBLAS calls' conventions.
/// </summary>
internal sealed unsafe class PlanEmulator : Executable
{
    private readonly CudaPlan _plan;
    private readonly byte* _arena;
    private readonly VariableStore _variables;
    private readonly HostKernelLibrary _kernels;
    private readonly Dictionary<CudaCommand, KernelArgBlock> _blocks = [];
    private readonly bool _sharesVariables;
    private readonly StaticGraph.Distributed.ICommunicator? _world;

    public PlanEmulator(CudaPlan plan, ulong seed, PlanEmulator? shareVariablesWith = null, StaticGraph.Distributed.ICommunicator? world = null)
        : base(plan.Program)
    {
        _world = world;
        _plan = plan;
        _kernels = HostKernelLibrary.For(plan.Kernels);
        _arena = (byte*)NativeMemory.AlignedAlloc((nuint)Math.Max(plan.ArenaBytes, 64), CudaPlan.Alignment);
        // Poison the arena, so that a kernel reading memory nobody wrote shows up as NaN rather than as a lucky zero.
        new Span<byte>(_arena, (int)plan.ArenaBytes).Fill(0xFF);
        _variables = shareVariablesWith?._variables ?? new VariableStore(seed);
        _sharesVariables = shareVariablesWith is not null;
        foreach (var v in plan.Variables) _variables.Get(v);
        foreach (var c in plan.Constants) c.Bytes.CopyTo(new Span<byte>(Resolve(c.Address), c.Bytes.Length));
        foreach (var command in plan.Commands.OfType<LaunchCommand>().Concat(plan.Guards).Concat(plan.Updates)) _blocks[command] = new KernelArgBlock(command.Args, a => (ulong)Resolve(a));
        Seed = seed;
        DrawSeed = StaticGraph.Distributed.RankSeed.For(seed, world?.Rank ?? 0);
        LossScale = plan.UsesLossScale && plan.Updates.Count > 0 ? new DynamicLossScale() : null;
    }

    /// <summary>The FP16 loss-scale policy, handled as <c>CudaExecutable</c> handles it (null when the plan has none).</summary>
    public DynamicLossScale? LossScale { get; set; }

    public ulong Seed { get; }

    /// <summary>The key of this rank's draws (the seed on rank 0), written into the control block as the device executable does.</summary>
    public ulong DrawSeed { get; }

    public override long AllocatedBytes => _plan.ArenaBytes;

    public override IReadOnlyDictionary<string, string> SaveState() => LossScale?.ToState() ?? new Dictionary<string, string>();

    public override void RestoreState(IReadOnlyDictionary<string, string> state)
    {
        if (LossScale is { } scaler) LossScale = DynamicLossScale.FromState(state, scaler);
    }

    protected override void WriteInput(Node input, ReadOnlySpan<byte> bytes) => bytes.CopyTo(new Span<byte>(Resolve(_plan.Addresses[input]), bytes.Length));

    protected override void RunStep(double? learningRate)
    {
        var program = _plan.Program;
        var control = new Span<byte>(_arena + CudaPlan.ControlOffset, ControlBlock.Bytes);
        ControlBlock.Write(control, DrawSeed, Step, GuardUpdates, LossScale?.Scale ?? 1f);
        if (program.LearningRate is { } lr && learningRate is { } rate)
        {
            var p = Resolve(_plan.Addresses[lr]);
            if (lr.DType == DType.F32) *(float*)p = (float)rate;
            else *(double*)p = rate;
        }
        // As on the device: compute, guards, then updates that skip themselves when the flags say so.
        foreach (var command in _plan.Commands.Concat(_plan.Guards).Concat(_plan.Updates)) Execute(command);
        var (tripped, overflowed) = ControlBlock.Flags(control);
        if (LossScale is { } scaler && _plan.Updates.Count > 0) scaler.Update(overflowed);
        LastStep = overflowed ? new StepReport(false, "fp16 overflow") : StepReport.Applied;
        if (!overflowed && GuardUpdates && tripped)
            throw new NonFiniteValueException(_plan.Updates[0].Node!, Step, double.NaN);
    }

    protected override Exception? Readability(Node node) =>
        _plan.IsReadable(node) ? null : new InvalidOperationException($"{node} is not readable after a run");

    protected override void ReadNode(Node node, Span<byte> destination) =>
        new ReadOnlySpan<byte>(Resolve(_plan.Addresses[node]), destination.Length).CopyTo(destination);

    protected override TensorType VariableType(string name) => _variables.Get(name).Type;

    protected override void ReadVariable(string name, Span<byte> destination) =>
        new ReadOnlySpan<byte>(_variables.Get(name).Data, destination.Length).CopyTo(destination);

    protected override void WriteVariable(string name, ReadOnlySpan<byte> bytes) => bytes.CopyTo(new Span<byte>(_variables.Get(name).Data, bytes.Length));

    protected override void Release()
    {
        foreach (var b in _blocks.Values) b.Dispose();
        NativeMemory.AlignedFree(_arena);
        if (!_sharesVariables) _variables.Dispose();
    }

    private byte* Resolve(DeviceAddress a)
    {
        if (a.Variable is null)
        {
            if (a.Offset < 0 || a.Offset >= _plan.ArenaBytes) throw new InvalidOperationException($"{a} is outside the arena of {_plan.ArenaBytes} bytes");
            return _arena + a.Offset;
        }
        return _variables.Get(a.Variable).Data + a.Offset;
    }

    private void Execute(CudaCommand command)
    {
        switch (command)
        {
            case LaunchCommand l:
                _kernels.Launch(l.Kernel.Name, l.Blocks, LaunchCommand.BlockSize, _blocks[l].Pointers);
                break;
            case CopyCommand c:
                Unsafe.CopyBlockUnaligned(Resolve(c.To), Resolve(c.From), checked((uint)c.Bytes));
                break;
            case ConvolutionCommand c:
                ReferenceConvolution.Run(c, Resolve(c.X), Resolve(c.W), Resolve(c.Y));
                break;
            case GemmCommand g:
                ReferenceGemm.Run(g, Resolve(g.A), Resolve(g.B), Resolve(g.C));
                break;
            case NcclAllReduceCommand n:
                // NCCL's sum, done by the host communicator (its fixed-order ring) over the emulated device memory.
                var world = _world ?? throw new InvalidOperationException($"{n.Node}: the plan all-reduces but the emulator has no communicator");
                Buffer.MemoryCopy(Resolve(n.From), Resolve(n.To), n.Count * n.DType.SizeInBytes(), n.Count * n.DType.SizeInBytes());
                if (n.DType == DType.F32) world.AllReduceSum(new Span<float>(Resolve(n.To), checked((int)n.Count)));
                else world.AllReduceSum(new Span<double>(Resolve(n.To), checked((int)n.Count)));
                break;
            default:
                throw new NotSupportedException($"the emulator cannot run {command.GetType().Name}");
        }
    }
}
