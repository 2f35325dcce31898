using System.Runtime.CompilerServices;
using StaticGraph.Passes;

namespace StaticGraph.Backend.Cpu;

/// <summary>
/// A program compiled for the CPU: one arena laid out by the memory plan, a kernel per computing
/// node with its buffers fixed, persistent variables and constants. A run calls the kernels in
/// order and then applies the updates; nothing is allocated.
/// </summary>
public sealed unsafe class CpuExecutable : IExecutable
{
    private readonly MemoryPlan _plan;
    private readonly NativeBuffer _arena;
    private readonly NativeBuffer _scratch;
    private readonly List<NativeBuffer> _constants = [];
    private readonly Dictionary<Node, CpuTensor> _tensors = [];
    private readonly Dictionary<string, CpuTensor> _inputs = new(StringComparer.Ordinal);
    private readonly (Node Node, CpuKernel Kernel)[] _kernels;
    private readonly (CpuTensor From, CpuTensor To)[] _updates;
    private readonly CpuWorkers _workers;
    private readonly CpuContext _context;
    private bool _disposed;

    internal CpuExecutable(GraphProgram program, CompileOptions options)
    {
        Program = program;
        _workers = new CpuWorkers(options.Threads > 0 ? options.Threads : Environment.ProcessorCount);
        Variables = options.ShareVariablesWith switch
        {
            null => new VariableStore(options.Seed),
            CpuExecutable other => other.Variables,
            _ => throw new ArgumentException("variables can be shared only with another CPU executable", nameof(options)),
        };
        Variables.AddUser();
        _plan = MemoryPlan.Build(program);
        _arena = new NativeBuffer(_plan.ArenaBytes);

        foreach (var n in program.Nodes) _tensors[n] = Place(n);
        foreach (var n in program.Inputs) _inputs[n.Name!] = _tensors[n];

        long scratchPerWorker = 0;
        var kernels = new List<(Node, CpuKernel)>();
        foreach (var n in program.Nodes)
        {
            // A projection of a multi-output node is written by its producer's kernel.
            if (n.Op is InputOp or VariableOp or ConstantOp or OutputOp || n.Op.AliasOf(program.Mode) is not null) continue;
            var args = new CpuKernelArgs(n, n.Outputs.Select(o => _tensors[o]).ToArray(), n.Inputs.Select(i => _tensors[i]).ToArray(), program.Mode, _workers.Count);
            kernels.Add((n, CpuKernelRegistry.Create(args)));
            scratchPerWorker = Math.Max(scratchPerWorker, (args.ScratchBytesPerWorker + 63) / 64 * 64);
        }
        _kernels = [.. kernels];
        _scratch = new NativeBuffer(scratchPerWorker * _workers.Count);
        _context = new CpuContext(_workers, Variables.Seed, _scratch.Pointer, scratchPerWorker);
        _updates = program.Updates.Select(u => (_tensors[u.NewValue], _tensors[u.Variable])).ToArray();
    }

    /// <inheritdoc/>
    public GraphProgram Program { get; }

    /// <summary>The variables this executable reads and updates.</summary>
    public VariableStore Variables { get; }

    /// <summary>Bytes of the activation arena.</summary>
    public long ArenaBytes => _plan.ArenaBytes;

    /// <inheritdoc/>
    public long Step { get; set; }

    /// <summary>When set, every node's output is checked for NaN and infinity after it runs.</summary>
    public bool CheckFinite { get; set; }

    /// <summary>
    /// When set, every update's new value is checked before any is applied; a NaN or infinity
    /// throws <see cref="NonFiniteValueException"/> and leaves the variables and the step as they
    /// were, so the step can be re-run with <see cref="CheckFinite"/> to find the node at fault.
    /// </summary>
    public bool GuardUpdates { get; set; }

    /// <summary>When set, the time of every kernel is accumulated per op name (see <see cref="ProfileByOp"/>).</summary>
    public bool Profile { get; set; }

    private readonly Dictionary<string, (long Ticks, int Calls)> _profile = new(StringComparer.Ordinal);

    /// <summary>Accumulated seconds and call counts per op name, slowest first.</summary>
    public IReadOnlyList<(string Op, double Seconds, int Calls)> ProfileByOp() =>
        _profile.Select(kv => (kv.Key, kv.Value.Ticks / (double)System.Diagnostics.Stopwatch.Frequency, kv.Value.Calls))
                .OrderByDescending(p => p.Item2).ToList();

    /// <inheritdoc/>
    public void SetInput<T>(string name, ReadOnlySpan<T> values) where T : unmanaged
    {
        if (!_inputs.TryGetValue(name, out var t))
            throw new KeyNotFoundException($"the program has no input named '{name}' (inputs: {string.Join(", ", _inputs.Keys)})");
        ElementTypes.Check<T>(t.Type, $"input '{name}'");
        if (values.Length != t.Length)
            throw new ArgumentException($"input '{name}' is {t.Type}: expected {t.Length} values, got {values.Length}", nameof(values));
        values.CopyTo(new Span<T>(t.Data, values.Length));
    }

    /// <inheritdoc/>
    public void Run()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (Program.LearningRate is { } lr && Program.Schedule is { } schedule)
            CpuValues.Set(_tensors[lr], 0, schedule.At(Step));
        _context.Step = Step;
        foreach (var (node, kernel) in _kernels)
        {
            var start = Profile ? System.Diagnostics.Stopwatch.GetTimestamp() : 0;
            kernel.Run(_context);
            if (Profile)
            {
                var (ticks, calls) = _profile.GetValueOrDefault(node.Op.Name);
                _profile[node.Op.Name] = (ticks + System.Diagnostics.Stopwatch.GetTimestamp() - start, calls + 1);
            }
            if (CheckFinite)
                foreach (var output in node.Outputs) ThrowIfNotFinite(output);
        }
        if (GuardUpdates)
            foreach (var u in Program.Updates) ThrowIfNotFinite(u.NewValue);
        foreach (var (from, to) in _updates)
            Unsafe.CopyBlockUnaligned(to.Data, from.Data, (uint)from.Type.SizeInBytes);
        if (Program.Mode == ProgramMode.Training) Step++;
    }

    /// <inheritdoc/>
    public T[] Read<T>(Node node) where T : unmanaged
    {
        var t = Fetchable(node);
        ElementTypes.Check<T>(t.Type, node.ToString());
        return new ReadOnlySpan<T>(t.Data, checked((int)t.Length)).ToArray();
    }

    /// <inheritdoc/>
    public void Read<T>(Node node, Span<T> destination) where T : unmanaged
    {
        var t = Fetchable(node);
        ElementTypes.Check<T>(t.Type, node.ToString());
        if (destination.Length != t.Length)
            throw new ArgumentException($"{node} is {t.Type}: the destination must hold {t.Length} values, not {destination.Length}", nameof(destination));
        new ReadOnlySpan<T>(t.Data, destination.Length).CopyTo(destination);
    }

    /// <inheritdoc/>
    public byte[] ReadVariableBytes(string name)
    {
        var t = Variables.Get(name);
        return new ReadOnlySpan<byte>(t.Data, checked((int)t.Type.SizeInBytes)).ToArray();
    }

    /// <inheritdoc/>
    public void WriteVariableBytes(string name, ReadOnlySpan<byte> bytes)
    {
        var t = Variables.Get(name);
        if (bytes.Length != t.Type.SizeInBytes)
            throw new ArgumentException($"variable '{name}' is {t.Type}: expected {t.Type.SizeInBytes} bytes, got {bytes.Length}", nameof(bytes));
        bytes.CopyTo(new Span<byte>(t.Data, bytes.Length));
    }

    private CpuTensor Fetchable(Node node)
    {
        if (!_tensors.TryGetValue(node, out var t))
            throw new KeyNotFoundException($"{node} is not part of this program");
        if (_plan.BufferOf(node) is { } b && b.End < Program.Nodes.Count && node.Op is not InputOp)
            throw new InvalidOperationException($"{node} is not fetched; its buffer is reused during the run. Add it to the program's fetches.");
        return t;
    }

    /// <inheritdoc/>
    public T[] ReadVariable<T>(string name) where T : unmanaged
    {
        var t = Variables.Get(name);
        ElementTypes.Check<T>(t.Type, $"variable '{name}'");
        return new ReadOnlySpan<T>(t.Data, checked((int)t.Length)).ToArray();
    }

    /// <inheritdoc/>
    public void WriteVariable<T>(string name, ReadOnlySpan<T> values) where T : unmanaged
    {
        var t = Variables.Get(name);
        ElementTypes.Check<T>(t.Type, $"variable '{name}'");
        if (values.Length != t.Length)
            throw new ArgumentException($"variable '{name}' is {t.Type}: expected {t.Length} values, got {values.Length}", nameof(values));
        values.CopyTo(new Span<T>(t.Data, values.Length));
    }

    /// <summary>Frees the arena, the threads and (when no other executable shares them) the variables.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _workers.Dispose();
        _arena.Dispose();
        _scratch.Dispose();
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
        var b = _plan.BufferOf(n) ?? throw new InvalidOperationException($"no buffer was planned for {n}");
        return new CpuTensor(_arena.Pointer + b.Offset, n.Type);
    }

    private void ThrowIfNotFinite(Node node)
    {
        var t = _tensors[node];
        switch (t.Type.DType)
        {
            case DType.F32:
                foreach (var v in t.Span<float>())
                    if (!float.IsFinite(v)) throw new NonFiniteValueException(node, Step, v);
                break;
            case DType.F64:
                foreach (var v in t.Span<double>())
                    if (!double.IsFinite(v)) throw new NonFiniteValueException(node, Step, v);
                break;
        }
    }
}
