using System.Runtime.CompilerServices;
using StaticGraph.Passes;

namespace StaticGraph.Backend.Cpu;

/// <summary>
/// A program compiled for the CPU: one arena laid out by the memory plan, a kernel per computing
/// node with its buffers fixed, persistent variables and constants. A run calls the kernels in
/// order and then applies the updates; nothing is allocated.
/// </summary>
public sealed unsafe class CpuExecutable : Executable
{
    private readonly MemoryPlan _plan;
    private readonly CpuFusionPlan _fusion;
    private readonly Dictionary<Node, CpuRowSource> _rowSources = [];
    private readonly NativeBuffer _arena;
    private readonly NativeBuffer? _scratch;
    private readonly NativeBuffer? _sharedScratch;
    private readonly List<NativeBuffer> _constants = [];
    private readonly Dictionary<Node, CpuTensor> _tensors = [];
    private readonly (Node Node, CpuKernel Kernel)[] _kernels = [];
    private readonly (CpuTensor From, CpuTensor To)[] _updates = [];
    private readonly CpuWorkers _workers;
    private readonly CpuContext _context = null!;
    private readonly Dictionary<Node, (long Ticks, TimeSpan Cpu, int Calls)> _profile = [];

    internal CpuExecutable(GraphProgram program, CompileOptions options, bool fuse = true)
        : base(program)
    {
        if (options.ShareVariablesWith is not (null or CpuExecutable))
            throw new ArgumentException("variables can be shared only with another CPU executable", nameof(options));
        var communicator = Collectives.Require(program, options, "cpu");
        Variables = (options.ShareVariablesWith as CpuExecutable)?.Variables ?? new VariableStore(options.Seed);
        Variables.AddUser();
        _workers = new CpuWorkers(options.Threads > 0 ? options.Threads : Environment.ProcessorCount);
        _fusion = fuse ? CpuFusionPlan.Build(program) : CpuFusionPlan.None;
        _plan = MemoryPlan.Build(program, _fusion);
        _arena = new NativeBuffer(_plan.ArenaBytes);
        try
        {
            foreach (var n in program.Nodes) _tensors[n] = Place(n);

            long scratchPerWorker = 0, sharedScratch = 0;
            var kernels = new List<(Node, CpuKernel)>();
            foreach (var n in program.Nodes)
            {
                // A projection of a multi-output node is written by its producer's kernel, a fused node by its fusion root's.
                if (n.Op is InputOp or VariableOp or ConstantOp or OutputOp || n.Op.AliasOf(program.Mode) is not null) continue;
                if (!ReferenceEquals(_fusion.ComputedBy(n), n)) continue;
                var rows = n.Inputs.Select((input, k) => _fusion.ReadsRows(n, k) ? RowSource(input) : null).ToArray();
                var fused = _fusion.FusedInto(n).Select(c => (c, _tensors[c])).ToArray();
                var args = new CpuKernelArgs(n, n.Outputs.Select(o => _tensors[o]).ToArray(), n.Inputs.Select(i => _tensors[i]).ToArray(), program.Mode, _workers.Count, rows, fused, communicator);
                kernels.Add((n, CpuKernelRegistry.Create(args)));
                scratchPerWorker = Math.Max(scratchPerWorker, (args.ScratchBytesPerWorker + 63) / 64 * 64);
                sharedScratch = Math.Max(sharedScratch, args.SharedScratchBytes);
            }
            _kernels = [.. kernels];
            _scratch = new NativeBuffer(scratchPerWorker * _workers.Count);
            _sharedScratch = new NativeBuffer(sharedScratch);
            // Draws use this rank's key; initialisers (in the variable store) the run's seed on every rank.
            _context = new CpuContext(_workers, Distributed.RankSeed.For(Variables.Seed, communicator?.Rank ?? 0), _scratch.Pointer, scratchPerWorker, _sharedScratch.Pointer);
            _updates = program.Updates.Select(u => (_tensors[u.NewValue], _tensors[u.Variable])).ToArray();
        }
        catch
        {
            // A program that cannot compile (no kernel for an op, say) leaves no thread or memory behind.
            Dispose();
            throw;
        }
    }

    /// <summary>The variables this executable reads and updates.</summary>
    public VariableStore Variables { get; }

    /// <summary>Bytes of the activation arena.</summary>
    public long ArenaBytes => _plan.ArenaBytes;

    /// <summary>Managed bytes this executable's background worker threads have allocated so far (see <see cref="CpuWorkers.WorkerAllocatedBytes"/>).</summary>
    public long WorkerAllocatedBytes => _workers.WorkerAllocatedBytes;

    /// <summary>Bytes of the per-worker and shared scratch.</summary>
    public long ScratchBytes => (_scratch?.Bytes ?? 0) + (_sharedScratch?.Bytes ?? 0);

    /// <summary>Bytes of the arena, the scratch, the constants and the variables of this executable's store.</summary>
    public override long AllocatedBytes =>
        _arena.Bytes + ScratchBytes + _constants.Sum(c => c.Bytes) + Variables.Names.Sum(n => Variables.Get(n).Type.SizeInBytes);

    /// <summary>When set, the time of every kernel is accumulated per node (see <see cref="ProfileByOp"/> and <see cref="ProfileByShape"/>).</summary>
    public bool Profile { get; set; }

    /// <summary>Accumulated seconds and call counts per op name, slowest first.</summary>
    public IReadOnlyList<(string Op, double Seconds, int Calls)> ProfileByOp() =>
        ByOp(p => p.Ticks / (double)System.Diagnostics.Stopwatch.Frequency);

    /// <summary>
    /// Accumulated seconds and call counts per op name and input shapes (<c>[128,64,7,7] [64,64,3,3]</c>), slowest first:
    /// which layers of a model an op's time goes to.
    /// </summary>
    public IReadOnlyList<(string Op, string Inputs, double Seconds, int Calls)> ProfileByShape() =>
        [.. _profile.GroupBy(kv => (kv.Key.Op.Name, Inputs: string.Join(" ", kv.Key.Inputs.Select(i => i.Shape))))
            .Select(g => (g.Key.Name, g.Key.Inputs, g.Sum(kv => kv.Value.Ticks) / (double)System.Diagnostics.Stopwatch.Frequency, g.Sum(kv => kv.Value.Calls)))
            .OrderByDescending(p => p.Item3)];

    /// <summary>
    /// The processor time of the process while each op's kernels ran, per op name, slowest first. On a machine shared
    /// with other work the elapsed time of <see cref="ProfileByOp"/> counts the time this process waited for a core;
    /// processor time does not, so with one thread it is the kernels' own cost whatever the load (with several, it
    /// also counts the workers' spinning at the end of a kernel).
    /// </summary>
    public IReadOnlyList<(string Op, double Seconds, int Calls)> ProcessorTimeByOp() => ByOp(p => p.Cpu.TotalSeconds);

    private List<(string Op, double Seconds, int Calls)> ByOp(Func<(long Ticks, TimeSpan Cpu, int Calls), double> seconds) =>
        [.. _profile.GroupBy(kv => kv.Key.Op.Name, StringComparer.Ordinal)
            .Select(g => (g.Key, g.Sum(kv => seconds(kv.Value)), g.Sum(kv => kv.Value.Calls)))
            .OrderByDescending(p => p.Item2)];

    /// <inheritdoc/>
    protected override void WriteInput(Node input, ReadOnlySpan<byte> bytes) => bytes.CopyTo(new Span<byte>(_tensors[input].Data, bytes.Length));

    /// <inheritdoc/>
    protected override void RunStep(double? learningRate)
    {
        if (Program.LearningRate is { } lr && learningRate is { } rate) CpuValues.Set(_tensors[lr], 0, rate);
        _context.Step = Step;
        foreach (var (node, kernel) in _kernels)
        {
            var start = Profile ? System.Diagnostics.Stopwatch.GetTimestamp() : 0;
            var cpu = Profile ? Environment.CpuUsage.TotalTime : TimeSpan.Zero;
            kernel.Run(_context);
            if (Profile)
            {
                var (ticks, processor, calls) = _profile.GetValueOrDefault(node);
                _profile[node] = (ticks + System.Diagnostics.Stopwatch.GetTimestamp() - start, processor + Environment.CpuUsage.TotalTime - cpu, calls + 1);
            }
            if (CheckFinite)
            {
                foreach (var output in node.Outputs) ThrowIfNotFinite(output);
                foreach (var consumer in _fusion.FusedInto(node)) ThrowIfNotFinite(consumer);
            }
        }
        if (GuardUpdates)
            foreach (var u in Program.Updates) ThrowIfNotFinite(u.NewValue);
        foreach (var (from, to) in _updates)
            Unsafe.CopyBlockUnaligned(to.Data, from.Data, (uint)from.Type.SizeInBytes);
    }

    /// <inheritdoc/>
    protected override Exception? Readability(Node node)
    {
        if (!_tensors.ContainsKey(node)) return new KeyNotFoundException($"{node} is not part of this program");
        if (!_tensors[node].IsStored) return new InvalidOperationException($"{node} is not stored: the CPU backend computes it where it is read. Add it to the program's fetches.");
        if (_plan.BufferOf(node) is { } b && b.End < Program.Nodes.Count && node.Op is not InputOp)
            return new InvalidOperationException($"{node} is not fetched; its buffer is reused during the run. Add it to the program's fetches.");
        return null;
    }

    /// <inheritdoc/>
    protected override void ReadNode(Node node, Span<byte> destination) =>
        new ReadOnlySpan<byte>(_tensors[node].Data, destination.Length).CopyTo(destination);

    /// <inheritdoc/>
    protected override TensorType VariableType(string name) => Variables.Get(name).Type;

    /// <inheritdoc/>
    protected override void ReadVariable(string name, Span<byte> destination) =>
        new ReadOnlySpan<byte>(Variables.Get(name).Data, destination.Length).CopyTo(destination);

    /// <inheritdoc/>
    protected override void WriteVariable(string name, ReadOnlySpan<byte> bytes) => bytes.CopyTo(new Span<byte>(Variables.Get(name).Data, bytes.Length));

    /// <summary>Frees the arena, the threads and (when no other executable shares them) the variables.</summary>
    protected override void Release()
    {
        _workers.Dispose();
        _arena.Dispose();
        _scratch?.Dispose();
        _sharedScratch?.Dispose();
        foreach (var c in _constants) c.Dispose();
        Variables.RemoveUser();
    }

    private CpuTensor Place(Node n)
    {
        var storage = _plan.StorageOf(n);
        if (storage.Op is VariableOp) return new CpuTensor(Variables.Get(storage).Data, n.Type);
        if (storage.Op is ConstantOp c)
        {
            if (_tensors.TryGetValue(storage, out var existing)) return new CpuTensor(existing.Data, n.Type);
            var buffer = new NativeBuffer(c.Type.SizeInBytes);
            _constants.Add(buffer);
            var t = new CpuTensor(buffer.Pointer, c.Type);
            for (long i = 0; i < t.Length; i++) CpuValues.Set(t, i, c.ValueAt(i));
            return t;
        }
        if (!_fusion.IsStored(storage)) return new CpuTensor(null, n.Type);
        var b = _plan.BufferOf(n) ?? throw new InvalidOperationException($"no buffer was planned for {n}");
        return new CpuTensor(_arena.Pointer + b.Offset, n.Type);
    }

    /// <summary>The rows a reader recomputes <paramref name="v"/> from (one source per value, shared by its readers).</summary>
    private CpuRowSource RowSource(Node v)
    {
        if (_rowSources.TryGetValue(v, out var existing)) return existing;
        var element = ElementTypes.Of(v.DType) ?? throw new NotSupportedException($"{v} has no CPU element type");
        CpuRowSource source;
        if (_fusion.BatchNormOf(v) is { } bn)
        {
            source = (CpuRowSource)Activator.CreateInstance(typeof(BatchNormReluRows<>).MakeGenericType(element), bn, (Func<Node, CpuTensor>)(n => _tensors[n]))!;
        }
        else
        {
            // A masked gradient (relu_backward), whose mask is read where it is stored or recomputed itself.
            var mask = _fusion.ReadsRows(v, 0) ? RowSource(v.Inputs[0]) : null;
            source = (CpuRowSource)Activator.CreateInstance(typeof(MaskedGradientRows<>).MakeGenericType(element), v, (Func<Node, CpuTensor>)(n => _tensors[n]), mask)!;
        }
        _rowSources[v] = source;
        return source;
    }

    private void ThrowIfNotFinite(Node node)
    {
        var t = _tensors[node];
        if (!t.IsStored) return; // recomputed by its readers from values that are checked
        ThrowIfNotFinite(node, new ReadOnlySpan<byte>(t.Data, checked((int)t.Type.SizeInBytes)));
    }
}
