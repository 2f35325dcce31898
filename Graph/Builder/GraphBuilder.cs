using System.Text;
using StaticGraph.Random;

namespace StaticGraph;

/// <summary>
/// Builds a static graph node by node. Every node passes through <see cref="Apply(Op, Node[])"/>,
/// which checks the op's type rule and fails at once, naming the node, its inputs and what was
/// expected. A multi-output op's further outputs are projection nodes created right after it. Ops add their own convenience methods as extension methods beside their definition.
/// </summary>
public sealed class GraphBuilder
{
    private readonly List<Node> _nodes = [];
    private readonly Stack<string> _scopes = new();
    private readonly HashSet<string> _names = new(StringComparer.Ordinal);
    private readonly HashSet<string> _scopeNames = new(StringComparer.Ordinal);
    private readonly Dictionary<uint, string> _streams = [];
    private readonly List<StateUpdate> _stateUpdates = [];

    /// <summary>Creates a builder whose layers make parameters of <paramref name="floatType"/>.</summary>
    public GraphBuilder(DType floatType = DType.F32)
    {
        if (!floatType.IsFloat()) throw new ArgumentException($"the builder's float type must be floating point, got {floatType}", nameof(floatType));
        FloatType = floatType;
    }

    /// <summary>The dtype that layers give their parameters and activations.</summary>
    public DType FloatType { get; }

    /// <summary>Every node built so far, in creation (and so topological) order.</summary>
    public IReadOnlyList<Node> Nodes => _nodes;

    /// <summary>State assignments that a training step performs (e.g. BN running statistics).</summary>
    public IReadOnlyList<StateUpdate> StateUpdates => _stateUpdates;

    /// <summary>Applies <paramref name="op"/> to <paramref name="inputs"/>; for a multi-output op, the node is output 0 and <see cref="Node.Outputs"/> has the rest.</summary>
    public Node Apply(Op op, params Node[] inputs) => ApplyNamed(op, null, inputs);

    /// <summary>Applies <paramref name="op"/> to <paramref name="inputs"/>, giving the node a qualified name.</summary>
    public Node ApplyNamed(Op op, string? localName, params Node[] inputs)
    {
        ArgumentNullException.ThrowIfNull(op);
        var name = localName is null ? null : UniqueName(localName);
        foreach (var input in inputs)
        {
            if (input is null) throw new GraphBuildException($"{Describe(op, name)}: an input is null");
            if (!ReferenceEquals(input.Owner, this))
                throw new GraphBuildException($"{Describe(op, name)}: input {input} belongs to another GraphBuilder");
        }
        TensorType[] types;
        try
        {
            types = op.InferTypes(inputs.Select(i => i.Type).ToArray());
            if (types.Length == 0) throw new InvalidOperationException($"op {op.Name} declared no outputs");
        }
        catch (OpTypeException e)
        {
            throw new GraphBuildException($"{Describe(op, name)}({string.Join(", ", inputs.Select(i => $"{i}: {i.Type}"))}): {e.Message}");
        }
        var node = new Node(_nodes.Count, op, inputs, types[0], name, this);
        _nodes.Add(node);
        if (types.Length > 1)
        {
            var outputs = new Node[types.Length];
            outputs[0] = node;
            for (var i = 1; i < types.Length; i++)
            {
                outputs[i] = new Node(_nodes.Count, new OutputOp(i), [node], types[i], null, this);
                _nodes.Add(outputs[i]);
            }
            node.SetOutputs(outputs);
        }
        return node;
    }

    /// <summary>
    /// Applies a multi-output op and returns every output, the node itself first and then its
    /// projections (a single-output op gives one).
    /// </summary>
    public IReadOnlyList<Node> ApplyMulti(Op op, params Node[] inputs) => Apply(op, inputs).Outputs;

    /// <summary>Opens a name scope; names created inside are prefixed "scope.".</summary>
    public IDisposable Scope(string name)
    {
        if (string.IsNullOrWhiteSpace(name) || name.Contains('.'))
            throw new ArgumentException($"scope name '{name}' must be non-empty and contain no '.'", nameof(name));
        _scopes.Push(name);
        return new ScopeExit(this);
    }

    /// <summary>
    /// Opens a scope named <paramref name="prefix"/>, or prefix_1, prefix_2... when that name is
    /// already taken in the current scope: layers call it so that repeated layers get distinct names.
    /// </summary>
    public IDisposable FreshScope(string prefix)
    {
        var name = prefix;
        for (var k = 1; !_scopeNames.Add(Qualify(name)); k++) name = $"{prefix}_{k}";
        return Scope(name);
    }

    /// <summary>The qualified form of a local name in the current scope.</summary>
    public string Qualify(string localName)
    {
        if (_scopes.Count == 0) return localName;
        var sb = new StringBuilder();
        foreach (var s in _scopes.Reverse()) sb.Append(s).Append('.');
        return sb.Append(localName).ToString();
    }

    /// <summary>
    /// The random stream id of a named random node: a hash of its qualified name, so that draws do
    /// not depend on the order in which nodes were built. Distinct names must give distinct ids.
    /// </summary>
    public uint StreamOf(string qualifiedName)
    {
        var id = StableHash.Fnv1a(qualifiedName);
        if (_streams.TryGetValue(id, out var other) && other != qualifiedName)
            throw new GraphBuildException($"random streams '{other}' and '{qualifiedName}' hash to the same id {id:x8}; rename one");
        _streams[id] = qualifiedName;
        return id;
    }

    /// <summary>Records that a training step assigns <paramref name="newValue"/> to <paramref name="state"/>.</summary>
    public void AddStateUpdate(Node state, Node newValue)
    {
        if (state.Op is not VariableOp { Kind: VariableKind.State })
            throw new GraphBuildException($"{state} is not a state variable; only state variables take updates");
        if (state.Type != newValue.Type)
            throw new GraphBuildException($"state update of '{state.Name}': new value {newValue.Type} does not match {state.Type}");
        _stateUpdates.Add(new StateUpdate(state, newValue));
    }

    private string UniqueName(string localName)
    {
        var q = Qualify(localName);
        if (!_names.Add(q)) throw new GraphBuildException($"the name '{q}' is already used in this graph");
        return q;
    }

    private string Describe(Op op, string? name)
    {
        var attrs = op.Attributes.Length > 0 ? " " + op.Attributes : "";
        var label = name is null ? "" : $" '{name}'";
        return $"%{_nodes.Count} {op.Name}{label}{attrs}";
    }


    private sealed class ScopeExit(GraphBuilder b) : IDisposable
    {
        private bool _done;

        public void Dispose()
        {
            if (_done) return;
            _done = true;
            b._scopes.Pop();
        }
    }
}

/// <summary>An assignment performed at the end of a training step.</summary>
public readonly record struct StateUpdate(Node Variable, Node NewValue);
