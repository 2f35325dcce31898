using StaticGraph.Backend.Cpu;
using StaticGraph.Cuda.Native;
using StaticGraph.Ops;

namespace StaticGraph.Cuda.Backend;

/// <summary>
/// Variables on the device, one allocation each, shared by the executables of one model (training and inference). Initial
/// values come from the CPU's <see cref="VariableStore"/> with the same seed, so both backends start from the same bits.
/// </summary>
internal sealed class CudaVariableStore : IDisposable
{
    private readonly Dictionary<string, (TensorType Type, DeviceBuffer Buffer)> _values = new(StringComparer.Ordinal);
    private readonly VariableStore _initial;
    private int _users;

    public CudaVariableStore(ulong seed)
    {
        Seed = seed;
        _initial = new VariableStore(seed);
    }

    public ulong Seed { get; }

    public IEnumerable<string> Names => _values.Keys;

    public void AddUser() => _users++;

    public void RemoveUser()
    {
        if (--_users == 0) Dispose();
    }

    /// <summary>The device buffer of a variable node, created and initialised on first use.</summary>
    public unsafe DeviceBuffer Get(Node variable)
    {
        var op = (VariableOp)variable.Op;
        var name = variable.Name!;
        if (_values.TryGetValue(name, out var v))
        {
            if (v.Type != op.Type)
                throw new InvalidOperationException($"variable '{name}' is {op.Type} in this program but {v.Type} in the shared store");
            return v.Buffer;
        }
        var host = _initial.Get(variable);
        var buffer = DeviceBuffer.Allocate(Math.Max(op.Type.SizeInBytes, 1));
        buffer.CopyFromHost(new ReadOnlySpan<byte>(host.Data, checked((int)op.Type.SizeInBytes)));
        _values[name] = (op.Type, buffer);
        return buffer;
    }

    /// <summary>A variable's buffer and type by name.</summary>
    public (TensorType Type, DeviceBuffer Buffer) Get(string name) =>
        _values.TryGetValue(name, out var v) ? v : throw new KeyNotFoundException($"no variable named '{name}'");

    public void Dispose()
    {
        foreach (var (_, buffer) in _values.Values) buffer.Dispose();
        _values.Clear();
        _initial.Dispose();
    }
}
