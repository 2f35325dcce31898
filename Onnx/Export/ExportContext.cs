using System.Buffers.Binary;
using Google.Protobuf;

namespace StaticGraph.Onnx.Export;

/// <summary>
/// The ONNX graph being written and what is known of every exported value: its ONNX name and its batch
/// factor. Our graphs have a static batch B; the exported model has a symbolic N. A value whose leading
/// dimension is k·B in our graph has factor k and leading dimension k·N in ONNX; a value without a batch
/// axis (parameters, constants, reductions over the batch) has none. The op mappings use the factors to
/// write shapes that stay right for any N, and refuse what would silently bake B in.
/// </summary>
internal sealed class ExportContext(GraphProto graph, int batchSize)
{
    private readonly Dictionary<int, (string Name, int? Factor)> _values = [];
    private readonly HashSet<string> _names = new(StringComparer.Ordinal);
    private int _nodes;

    /// <summary>The graph the nodes and initializers go into.</summary>
    public GraphProto Graph { get; } = graph;

    /// <summary>B: the leading dimension of the program's image input.</summary>
    public int BatchSize { get; } = batchSize;

    /// <summary>The ONNX name of <paramref name="node"/>'s value.</summary>
    public string NameOf(Node node) => _values.TryGetValue(node.Id, out var v) ? v.Name
        : throw new InvalidOperationException($"{node} is read before it was exported");

    /// <summary>k when <paramref name="node"/>'s leading dimension is k·N, null when it has no batch axis.</summary>
    public int? FactorOf(Node node) => _values.TryGetValue(node.Id, out var v) ? v.Factor
        : throw new InvalidOperationException($"{node} is read before it was exported");

    /// <summary>True once <paramref name="node"/> has a value.</summary>
    public bool IsDefined(Node node) => _values.ContainsKey(node.Id);

    /// <summary>Records that <paramref name="node"/>'s value is the ONNX value <paramref name="name"/>.</summary>
    public void Define(Node node, string name, int? factor) => _values[node.Id] = (name, factor);

    /// <summary>The name a mapping writes <paramref name="node"/>'s result to.</summary>
    public string ResultName(Node node) => Claim($"v{node.Id}");

    /// <summary>A name for an intermediate value of <paramref name="node"/>'s mapping.</summary>
    public string TempName(Node node, string what) => Claim($"v{node.Id}_{what}");

    /// <summary>Appends an ONNX node computing <paramref name="outputs"/> from <paramref name="inputs"/>.</summary>
    public void Emit(Node node, string opType, IEnumerable<string> inputs, IEnumerable<string> outputs, params AttributeProto[] attributes)
    {
        var proto = new NodeProto { Name = $"{opType}_{node.Id}_{_nodes++}", OpType = opType, Domain = "" };
        proto.Input.AddRange(inputs);
        proto.Output.AddRange(outputs);
        proto.Attribute.AddRange(attributes);
        Graph.Node.Add(proto);
    }

    /// <summary>Appends a one-output node.</summary>
    public void Emit(Node node, string opType, IEnumerable<string> inputs, string output, params AttributeProto[] attributes) =>
        Emit(node, opType, inputs, [output], attributes);

    /// <summary>An int64 vector constant (shapes, axes, pads) used by <paramref name="node"/>'s mapping.</summary>
    public string Int64s(Node node, string what, params long[] values)
    {
        var bytes = new byte[values.Length * sizeof(long)];
        for (var i = 0; i < values.Length; i++) BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(i * sizeof(long)), values[i]);
        return Initializer(TempName(node, what), (int)TensorProto.Types.DataType.Int64, [values.Length], bytes);
    }

    /// <summary>A scalar constant of <paramref name="dtype"/> used by <paramref name="node"/>'s mapping.</summary>
    public string Scalar(Node node, string what, DType dtype, double value) =>
        Initializer(TempName(node, what), OnnxTypes.ElementType(dtype), [], OnnxTypes.Encode(dtype, [value]));

    /// <summary>Adds an initializer holding <paramref name="raw"/> (little-endian, row-major) and returns its name.</summary>
    public string Initializer(string name, int elementType, IReadOnlyList<int> dims, byte[] raw)
    {
        var tensor = new TensorProto { Name = name, DataType = elementType, RawData = ByteString.CopyFrom(raw) };
        tensor.Dims.AddRange(dims.Select(d => (long)d));
        Graph.Initializer.Add(tensor);
        return name;
    }

    /// <summary>Reserves a value name, failing on a clash (a variable named like a generated value).</summary>
    public string Claim(string name)
    {
        if (!_names.Add(name)) throw new OnnxExportException($"the ONNX value name '{name}' is used twice; rename the variable that has it");
        return name;
    }
}
