using System.Runtime.InteropServices;

namespace StaticGraph.Backend;

/// <summary>
/// What every backend's executable does the same way, written once: checking what a caller feeds and reads (the input or
/// variable exists, the element type and the length match), refusing to run a program one of whose inputs was never set,
/// computing the learning rate of the step from the schedule, advancing the step counter, and finding the first
/// non-finite value. A backend supplies the byte copies, the step itself and its memory.
/// </summary>
public abstract class Executable : IExecutable
{
    private readonly Dictionary<string, Node> _inputs;
    private readonly HashSet<string> _unset;

    /// <summary>Starts the bookkeeping for <paramref name="program"/>; every input but the learning rate must be set before a run.</summary>
    protected Executable(GraphProgram program)
    {
        ArgumentNullException.ThrowIfNull(program);
        Program = program;
        _inputs = program.Inputs.ToDictionary(i => i.Name!, StringComparer.Ordinal);
        _unset = new HashSet<string>(_inputs.Keys.Where(n => !ReferenceEquals(_inputs[n], program.LearningRate)), StringComparer.Ordinal);
    }

    /// <inheritdoc/>
    public GraphProgram Program { get; }

    /// <inheritdoc/>
    public long Step { get; set; }

    /// <inheritdoc/>
    public bool CheckFinite { get; set; }

    /// <inheritdoc/>
    public bool GuardUpdates { get; set; }

    /// <inheritdoc/>
    public virtual StepReport LastStep { get; protected set; } = StepReport.Applied;

    /// <inheritdoc/>
    public abstract long AllocatedBytes { get; }

    /// <summary>True once <see cref="IDisposable.Dispose"/> ran.</summary>
    protected bool IsDisposed { get; private set; }

    /// <inheritdoc/>
    public void SetInput<T>(string name, ReadOnlySpan<T> values) where T : unmanaged
    {
        ObjectDisposedException.ThrowIf(IsDisposed, this);
        var node = Input(name);
        ElementTypes.Check<T>(node.Type, $"input '{name}'");
        if (values.Length != node.Shape.ElementCount)
            throw new ArgumentException($"input '{name}' is {node.Type}: expected {node.Shape.ElementCount} values, got {values.Length}", nameof(values));
        WriteInput(node, MemoryMarshal.AsBytes(values));
        _unset.Remove(name);
    }

    /// <summary>The input named <paramref name="name"/>, or an error listing the program's inputs.</summary>
    protected Node Input(string name) =>
        _inputs.TryGetValue(name, out var node) ? node
            : throw new KeyNotFoundException($"the program has no input named '{name}' (inputs: {string.Join(", ", _inputs.Keys)})");

    /// <summary>Records that a writer on the backend's side (a device data set) wrote input <paramref name="name"/>.</summary>
    protected void MarkInputWritten(string name)
    {
        Input(name);
        _unset.Remove(name);
    }

    /// <inheritdoc/>
    public void Run()
    {
        ObjectDisposedException.ThrowIf(IsDisposed, this);
        if (_unset.Count > 0)
            throw new InvalidOperationException(
                $"input{(_unset.Count > 1 ? "s" : "")} {string.Join(", ", _unset.Order(StringComparer.Ordinal).Select(n => $"'{n}'"))} of the program {(_unset.Count > 1 ? "were" : "was")} never set: call SetInput before Run");
        double? rate = Program.LearningRate is not null && Program.Schedule is { } schedule ? schedule.At(Step) : null;
        RunStep(rate);
        if (Program.Mode == ProgramMode.Training) Step++;
    }

    /// <inheritdoc/>
    public T[] Read<T>(Node node) where T : unmanaged
    {
        var result = new T[checked((int)node.Shape.ElementCount)];
        Read<T>(node, result);
        return result;
    }

    /// <inheritdoc/>
    public void Read<T>(Node node, Span<T> destination) where T : unmanaged
    {
        ObjectDisposedException.ThrowIf(IsDisposed, this);
        ArgumentNullException.ThrowIfNull(node);
        if (Readability(node) is { } why) throw why;
        ElementTypes.Check<T>(node.Type, node.ToString());
        if (destination.Length != node.Shape.ElementCount)
            throw new ArgumentException($"{node} is {node.Type}: the destination must hold {node.Shape.ElementCount} values, not {destination.Length}", nameof(destination));
        ReadNode(node, MemoryMarshal.AsBytes(destination));
    }

    /// <inheritdoc/>
    public T[] ReadVariable<T>(string name) where T : unmanaged
    {
        var type = VariableType(name);
        ElementTypes.Check<T>(type, $"variable '{name}'");
        var result = new T[checked((int)type.Shape.ElementCount)];
        ReadVariable(name, MemoryMarshal.AsBytes(result.AsSpan()));
        return result;
    }

    /// <inheritdoc/>
    public byte[] ReadVariableBytes(string name)
    {
        var result = new byte[VariableType(name).SizeInBytes];
        ReadVariable(name, result);
        return result;
    }

    /// <inheritdoc/>
    public void WriteVariableBytes(string name, ReadOnlySpan<byte> bytes)
    {
        var type = VariableType(name);
        if (bytes.Length != type.SizeInBytes)
            throw new ArgumentException($"variable '{name}' is {type}: expected {type.SizeInBytes} bytes, got {bytes.Length}", nameof(bytes));
        WriteVariable(name, bytes);
    }

    /// <inheritdoc/>
    public void WriteVariable<T>(string name, ReadOnlySpan<T> values) where T : unmanaged
    {
        var type = VariableType(name);
        ElementTypes.Check<T>(type, $"variable '{name}'");
        if (values.Length != type.Shape.ElementCount)
            throw new ArgumentException($"variable '{name}' is {type}: expected {type.Shape.ElementCount} values, got {values.Length}", nameof(values));
        WriteVariable(name, MemoryMarshal.AsBytes(values));
    }

    /// <inheritdoc/>
    public virtual IReadOnlyDictionary<string, string> SaveState() => new Dictionary<string, string>();

    /// <inheritdoc/>
    public virtual void RestoreState(IReadOnlyDictionary<string, string> state) => ArgumentNullException.ThrowIfNull(state);

    /// <inheritdoc/>
    public void Dispose()
    {
        if (IsDisposed) return;
        IsDisposed = true;
        Release();
        GC.SuppressFinalize(this);
    }

    /// <summary>Copies a checked value into input <paramref name="input"/>.</summary>
    protected abstract void WriteInput(Node input, ReadOnlySpan<byte> bytes);

    /// <summary>
    /// Runs the program once: every computing node, then (training) the updates. <paramref name="learningRate"/> is the
    /// schedule's value for <see cref="Step"/> when the program has a learning-rate input. The step counter advances after it.
    /// </summary>
    protected abstract void RunStep(double? learningRate);

    /// <summary>Why <paramref name="node"/> cannot be read after a run (not in the program, or its buffer reused), or null.</summary>
    protected abstract Exception? Readability(Node node);

    /// <summary>Copies a readable node's value into <paramref name="destination"/> (its exact size).</summary>
    protected abstract void ReadNode(Node node, Span<byte> destination);

    /// <summary>The type of variable <paramref name="name"/>, or <see cref="KeyNotFoundException"/>.</summary>
    protected abstract TensorType VariableType(string name);

    /// <summary>Copies variable <paramref name="name"/> into <paramref name="destination"/> (its exact size).</summary>
    protected abstract void ReadVariable(string name, Span<byte> destination);

    /// <summary>Overwrites variable <paramref name="name"/> with <paramref name="bytes"/> (its exact size).</summary>
    protected abstract void WriteVariable(string name, ReadOnlySpan<byte> bytes);

    /// <summary>Frees what the executable holds (called once).</summary>
    protected abstract void Release();

    /// <summary>Throws <see cref="NonFiniteValueException"/> naming <paramref name="node"/> when its value holds a NaN or an infinity.</summary>
    protected void ThrowIfNotFinite(Node node, ReadOnlySpan<byte> value)
    {
        switch (node.DType)
        {
            case DType.F32:
                foreach (var v in MemoryMarshal.Cast<byte, float>(value))
                    if (!float.IsFinite(v)) throw new NonFiniteValueException(node, Step, v);
                break;
            case DType.F64:
                foreach (var v in MemoryMarshal.Cast<byte, double>(value))
                    if (!double.IsFinite(v)) throw new NonFiniteValueException(node, Step, v);
                break;
        }
    }
}
