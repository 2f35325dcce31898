using StaticGraph.Backend;
using StaticGraph.Cuda.Lowering;
using StaticGraph.Cuda.Native;

namespace StaticGraph.Cuda.Backend;

/// <summary>
/// A program on the GPU: its plan materialised (one arena, variables, compiled kernels, cuDNN descriptors with their
/// algorithms chosen, argument blocks with every pointer resolved), issued on one stream, and after a first eager run
/// captured into a CUDA graph that every later run replays. The seed and step live in the arena's control block, written
/// before each run, so replays draw each step's random numbers. A run ends synchronised, with its updates applied only
/// when every new value is finite (when <see cref="Executable.GuardUpdates"/> is set). In FP16 mixed precision the control block
/// also holds the loss scale, written before each run, and the overflow flag, read after it: a step that overflowed has
/// its updates skipped (<see cref="LossScale"/>).
/// </summary>
public sealed unsafe class CudaExecutable : Executable
{
    private readonly CudaRuntime _runtime;
    private readonly CudaOptions _options;
    private readonly CudaModule? _module;
    private readonly DeviceBuffer _arena;
    private readonly DeviceBuffer? _workspace;
    private readonly PinnedBuffer _staging;
    private readonly ICommandRunner[] _compute;
    private readonly ICommandRunner[] _guards;
    private readonly ICommandRunner[] _updates;
    private readonly List<IDisposable> _owned = [];
    private readonly ICommandRunner[] _step = [];
    private readonly NcclComm? _nccl;
    private readonly ulong _drawSeed;
    private CudaGraphExec? _graph;
    private int _runs;

    internal CudaExecutable(GraphProgram program, CompileOptions options, CudaOptions cuda)
        : base(program)
    {
        _options = cuda;
        var world = Collectives.Require(program, options, "cuda");
        _runtime = CudaRuntime.For(cuda.Device);
        Plan = CudaPlanner.Plan(program, new CudaPlanOptions(cuda.Precision));
        LossScale = Plan.UsesLossScale && Plan.Updates.Count > 0 ? new DynamicLossScale() : null;
        Variables = options.ShareVariablesWith switch
        {
            null => new CudaVariableStore(options.Seed),
            CudaExecutable other => other.Variables,
            _ => throw new ArgumentException("variables can be shared only with another CUDA executable", nameof(options)),
        };
        Variables.AddUser();
        // Draws use this rank's key; the variable store initialises from the run's seed on every rank.
        _drawSeed = StaticGraph.Distributed.RankSeed.For(Variables.Seed, world?.Rank ?? 0);
        try
        {
            // A data-parallel plan sums on the GPUs through NCCL, its communicator made over the host's (MPI) once per executable.
            if (Plan.Commands.OfType<NcclAllReduceCommand>().Any())
            {
                NativeLibraryResolver.Load(NativeLibraryResolver.NcclName);
                _nccl = NcclComm.Create(world!, cuda.Deterministic);
            }
            foreach (var v in Plan.Variables) Variables.Get(v);
            _arena = DeviceBuffer.Allocate(Math.Max(Plan.ArenaBytes, CudaPlan.Alignment));
            _arena.FillBytesAsync(0, _runtime.Stream);
            _runtime.Stream.Synchronize();
            foreach (var c in Plan.Constants)
                fixed (byte* p = c.Bytes) CudaDriver.CopyHostToDeviceAsync(Resolve(c.Address), p, c.Bytes.Length, _runtime.Stream);
            _staging = PinnedBuffer.Allocate(CudaPlan.ControlBytes);
            // A program of convolutions and GEMMs alone launches no kernel of ours, and an empty module would not load.
            _module = Plan.Kernels.Count == 0 ? null : KernelModules.Load(Plan.ModuleSource(), _runtime);

            var convolutions = Plan.Commands.OfType<ConvolutionCommand>()
                .Select(c => ConvolutionRunner.Prepare(c, _runtime, cuda, Resolve)).ToList();
            var workspaceBytes = convolutions.Select(c => c.WorkspaceBytes).DefaultIfEmpty(0).Max();
            _workspace = workspaceBytes > 0 ? DeviceBuffer.Allocate(workspaceBytes) : null;
            foreach (var c in convolutions) c.UseWorkspace(_workspace);
            _owned.AddRange(convolutions);
            var byCommand = convolutions.ToDictionary(c => (CudaCommand)c.Command, c => (ICommandRunner)c);

            _compute = Plan.Commands.Select(c => byCommand.GetValueOrDefault(c) ?? Runner(c)).ToArray();
            _guards = Plan.Guards.Select(Runner).ToArray();
            _updates = Plan.Updates.Select(Runner).ToArray();
            _step = [.. _compute, .. _guards, .. _updates];
            _runtime.Stream.Synchronize();
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <summary>The plan this executable runs.</summary>
    public CudaPlan Plan { get; }

    /// <summary>The device's name.</summary>
    public string DeviceName => _runtime.DeviceName;

    internal CudaVariableStore Variables { get; }

    /// <summary>
    /// Device bytes this executable holds: its arena, its convolution workspace, the variables of its store (shared with
    /// the executables that share them) and the runtime's cuBLAS workspace (shared by every executable on the device).
    /// What the training step needs on the GPU, to compare with PyTorch's peak allocation (<c>sgtrain bench --memory</c>);
    /// the CUDA context, cuDNN's and cuBLAS's handles and the loaded module are left out, as PyTorch's figure leaves them.
    /// </summary>
    public override long AllocatedBytes =>
        _arena.Bytes + (_workspace?.Bytes ?? 0) + Variables.Names.Sum(n => Variables.Get(n).Buffer.Bytes) + _runtime.CublasWorkspace.Bytes;

    /// <summary>
    /// The dynamic loss scale of an FP16 training program (null otherwise): its scale is written into the control block
    /// before each run, and it decides after each run whether the updates are applied. Saved with checkpoints
    /// (<see cref="SaveState"/>).
    /// </summary>
    public DynamicLossScale? LossScale { get; set; }

    /// <summary>True once the step is captured in a CUDA graph.</summary>
    public bool IsCaptured => _graph is not null;

    /// <summary>
    /// The device address of input <paramref name="name"/>, for writers on the device (a device data set): taking it
    /// counts as setting the input.
    /// </summary>
    public ulong InputPointer(string name)
    {
        var node = Input(name);
        MarkInputWritten(name);
        return Resolve(Plan.Addresses[node]);
    }

    /// <inheritdoc/>
    protected override void WriteInput(Node input, ReadOnlySpan<byte> bytes)
    {
        // A synchronous copy: the previous run has finished (runs end synchronised), and the next one starts after it.
        fixed (byte* p = bytes) CudaDriver.CopyHostToDeviceAsync(Resolve(Plan.Addresses[input]), p, bytes.Length, _runtime.Stream);
        _runtime.Stream.Synchronize();
    }

    /// <inheritdoc/>
    protected override void RunStep(double? learningRate)
    {
        _runtime.Context.MakeCurrent();
        WriteControlBlock(learningRate);
        var stream = _runtime.Stream;
        // One list, one graph: the updates apply themselves only when the device's flags allow (GuardedUpdateKernel).
        if (CheckFinite) RunChecked();
        else if (_graph is not null) _graph.Launch(stream);
        else if (_options.CaptureGraph && _runs > 0) (_graph = Capture(_step)).Launch(stream);
        else Issue(_step);

        LastStep = StepReport.Applied;
        if ((GuardUpdates || LossScale is not null) && Plan.Updates.Count > 0)
        {
            var block = stackalloc byte[ControlBlock.Bytes];
            CudaDriver.CopyDeviceToHostAsync(block, Resolve(DeviceAddress.Arena(CudaPlan.ControlOffset)), ControlBlock.Bytes, stream);
            stream.Synchronize();
            // An FP16 overflow is expected now and then: the updates were skipped and the scaler halves the scale, rather
            // than the guard throwing for the infinities the overflow caused. Otherwise a tripped guard skipped them too.
            var (tripped, overflowed) = ControlBlock.Flags(new ReadOnlySpan<byte>(block, ControlBlock.Bytes));
            if (LossScale is { } scaler)
            {
                scaler.Update(overflowed);
                if (overflowed) LastStep = new StepReport(false, $"fp16 overflow: updates skipped, loss scale now {scaler.Scale}");
            }
            if (!overflowed && GuardUpdates && tripped) ThrowForFirstNonFiniteUpdate();
        }
        stream.Synchronize();
        _runs++;
    }

    /// <inheritdoc/>
    protected override Exception? Readability(Node node)
    {
        if (!Plan.Addresses.ContainsKey(node)) return new KeyNotFoundException($"{node} is not part of this program, or is computed inside a fused kernel");
        return Plan.IsReadable(node) ? null
            : new InvalidOperationException($"{node} is not fetched; its buffer is reused during the run. Add it to the program's fetches.");
    }

    /// <inheritdoc/>
    protected override void ReadNode(Node node, Span<byte> destination) => CopyOut(Plan.Addresses[node], destination);

    /// <inheritdoc/>
    protected override TensorType VariableType(string name) => Variables.Get(name).Type;

    /// <inheritdoc/>
    protected override void ReadVariable(string name, Span<byte> destination) => CopyOut(new DeviceAddress(name, 0), destination);

    /// <inheritdoc/>
    protected override void WriteVariable(string name, ReadOnlySpan<byte> bytes) => Variables.Get(name).Buffer.CopyFromHost(bytes);

    /// <summary>The FP16 loss scale and its count of good steps, so that a resumed run skips the steps the uninterrupted one would.</summary>
    public override IReadOnlyDictionary<string, string> SaveState() => LossScale?.ToState() ?? new Dictionary<string, string>();

    /// <inheritdoc/>
    public override void RestoreState(IReadOnlyDictionary<string, string> state)
    {
        if (LossScale is { } scaler) LossScale = DynamicLossScale.FromState(state, scaler);
    }

    /// <summary>Frees the graphs, descriptors, module and arena, and (when no other executable shares them) the variables.</summary>
    protected override void Release()
    {
        _graph?.Dispose();
        foreach (var r in (_compute ?? []).Concat(_guards ?? []).Concat(_updates ?? []).OfType<IDisposable>().Concat(_owned).Distinct()) r.Dispose();
        _module?.Dispose();
        _workspace?.Dispose();
        _arena?.Dispose();
        _staging?.Dispose();
        _nccl?.Dispose();
        Variables.RemoveUser();
    }

    private ICommandRunner Runner(CudaCommand command) => command switch
    {
        LaunchCommand l => new LaunchRunner(l, _module!.GetFunction(l.Kernel.Name), Resolve),
        CopyCommand c => new CopyRunner(c, Resolve),
        GemmCommand g => new GemmRunner(g, _runtime, _options, Resolve),
        NcclAllReduceCommand n => new NcclAllReduceRunner(n, _nccl!, Resolve),
        _ => throw new NotSupportedException($"the CUDA executable cannot run {command.GetType().Name} of {command.Node}"),
    };

    private void Issue(IEnumerable<ICommandRunner> runners)
    {
        foreach (var r in runners) r.Issue(_runtime.Stream);
    }

    /// <summary>
    /// Captures <paramref name="runners"/> into a graph. A command that fails, or that invalidates the capture (a hidden
    /// synchronisation or allocation), is named in the exception; the capture is abandoned without its end's error
    /// replacing the first one.
    /// </summary>
    private CudaGraphExec Capture(IEnumerable<ICommandRunner> runners)
    {
        var stream = _runtime.Stream;
        stream.BeginCapture();
        try
        {
            foreach (var r in runners)
            {
                r.Issue(stream);
                if (stream.CaptureInvalidated)
                    throw new CudaCaptureException($"{r.Command.GetType().Name} of {r.Command.Node?.ToString() ?? "the step"} invalidated the CUDA graph capture (it synchronises or allocates); run with CudaOptions.CaptureGraph = false to issue eagerly");
            }
        }
        catch
        {
            stream.AbandonCapture();
            throw;
        }
        using var graph = stream.EndCapture();
        return graph.Instantiate();
    }

    private void RunChecked()
    {
        for (var i = 0; i < _compute.Length; i++)
        {
            _compute[i].Issue(_runtime.Stream);
            // A node may take several commands (statistics, then the kernel that writes it): check it after its last, with
            // every output a multi-output node wrote.
            var node = _compute[i].Command.Node;
            var last = i + 1 == _compute.Length || !ReferenceEquals(_compute[i + 1].Command.Node, node);
            if (!last || node is null) continue;
            foreach (var output in node.Outputs)
                if (Plan.Addresses.ContainsKey(output) && output.DType.IsFloat()) ThrowIfNotFinite(output);
        }
        Issue(_guards);
        Issue(_updates);
    }

    private void WriteControlBlock(double? learningRate)
    {
        var control = (byte*)_staging.Pointer;
        ControlBlock.Write(new Span<byte>(control, ControlBlock.Bytes), _drawSeed, Step, GuardUpdates, LossScale?.Scale ?? 1f);
        if (Program.LearningRate is { } lr && learningRate is { } value)
        {
            var rate = control + ControlBlock.Bytes;
            if (lr.DType == DType.F32) *(float*)rate = (float)value;
            else *(double*)rate = value;
            CudaDriver.CopyHostToDeviceAsync(Resolve(Plan.Addresses[lr]), rate, lr.DType.SizeInBytes(), _runtime.Stream);
        }
        CudaDriver.CopyHostToDeviceAsync(Resolve(DeviceAddress.Arena(CudaPlan.ControlOffset)), control, ControlBlock.Bytes, _runtime.Stream);
    }

    private void ThrowForFirstNonFiniteUpdate()
    {
        foreach (var u in Program.Updates) ThrowIfNotFinite(u.NewValue);
        throw new InvalidOperationException("the device flagged a non-finite update, but none was found on reading them back");
    }

    private void ThrowIfNotFinite(Node node)
    {
        var bytes = new byte[node.Type.SizeInBytes];
        CopyOut(Plan.Addresses[node], bytes);
        ThrowIfNotFinite(node, bytes);
    }

    private void CopyOut(DeviceAddress address, Span<byte> destination)
    {
        _runtime.Stream.Synchronize();
        fixed (byte* p = destination) CudaDriver.CopyDeviceToHostAsync(p, Resolve(address), destination.Length, _runtime.Stream);
        _runtime.Stream.Synchronize();
    }

    private ulong Resolve(DeviceAddress a) =>
        a.Variable is null ? _arena.Pointer + (ulong)a.Offset : Variables.Get(a.Variable).Buffer.Pointer + (ulong)a.Offset;
}
