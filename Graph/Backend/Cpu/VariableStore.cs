using StaticGraph.Random;

namespace StaticGraph.Backend.Cpu;

/// <summary>
/// The persistent values of variables, keyed by qualified name, shared by the executables of one
/// model (training and inference). New variables are initialised from Philox keyed by the seed
/// and the name, so the same seed gives the same initial weights on every backend.
/// </summary>
public sealed unsafe class VariableStore : IDisposable
{
    private readonly Dictionary<string, (TensorType Type, NativeBuffer Buffer)> _values = new(StringComparer.Ordinal);
    private int _users;

    /// <summary>An empty store; variables are created and initialised from <paramref name="seed"/> on first use.</summary>
    public VariableStore(ulong seed) => Seed = seed;

    /// <summary>The seed initialisers draw from.</summary>
    public ulong Seed { get; }

    /// <summary>Qualified names of every variable held.</summary>
    public IEnumerable<string> Names => _values.Keys;

    internal void AddUser() => _users++;

    internal void RemoveUser()
    {
        if (--_users == 0) Dispose();
    }

    /// <summary>The storage of a variable node, created and initialised on first use.</summary>
    public CpuTensor Get(Node variable)
    {
        var op = (VariableOp)variable.Op;
        var name = variable.Name!;
        if (_values.TryGetValue(name, out var v))
        {
            if (v.Type != op.Type)
                throw new InvalidOperationException($"variable '{name}' is {op.Type} in this program but {v.Type} in the shared store");
            return new CpuTensor(v.Buffer.Pointer, v.Type);
        }
        var buffer = new NativeBuffer(op.Type.SizeInBytes);
        var t = new CpuTensor(buffer.Pointer, op.Type);
        Initialize(t, op.Init, name);
        _values[name] = (op.Type, buffer);
        return t;
    }

    /// <summary>The storage of a variable by name.</summary>
    public CpuTensor Get(string name) =>
        _values.TryGetValue(name, out var v) ? new CpuTensor(v.Buffer.Pointer, v.Type)
            : throw new KeyNotFoundException($"no variable named '{name}'");

    private void Initialize(CpuTensor t, Initializer init, string name)
    {
        var stream = StableHash.Fnv1a(name);
        for (long i = 0; i < t.Length; i++)
        {
            var value = init switch
            {
                ConstantInit c => c.Value,
                NormalInit n => n.Std * RandomStream.Normal(RandomStream.Bits(Seed, (uint)i, RandomStream.InitializerDraw, stream, 0)),
                UniformInit u => u.Bound * (2 * Uniform(stream, i) - 1),
                _ => throw new NotSupportedException($"unknown initializer {init}"),
            };
            CpuValues.Set(t, i, value);
        }
    }

    private double Uniform(uint stream, long i)
    {
        var w = RandomStream.Bits(Seed, (uint)i, RandomStream.InitializerDraw, stream, 0);
        return RandomStream.UniformF64(w.X0, w.X1);
    }

    /// <summary>Frees every value.</summary>
    public void Dispose()
    {
        foreach (var (_, v) in _values) v.Buffer.Dispose();
        _values.Clear();
    }
}
