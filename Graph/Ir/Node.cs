namespace StaticGraph;

/// <summary>
/// One SSA value of a graph: an op applied to earlier nodes. Immutable; created only by
/// <see cref="GraphBuilder"/>, which infers and checks its type.
/// </summary>
public sealed class Node
{
    internal Node(int id, Op op, Node[] inputs, TensorType type, string? name, GraphBuilder owner)
    {
        Id = id;
        Op = op;
        Inputs = inputs;
        Type = type;
        Name = name;
        Owner = owner;
        _outputs = [this];
    }

    private IReadOnlyList<Node> _outputs;

    /// <summary>Position in the builder; also the SSA name %Id.</summary>
    public int Id { get; }

    /// <summary>The operation.</summary>
    public Op Op { get; }

    /// <summary>The operands.</summary>
    public IReadOnlyList<Node> Inputs { get; }

    /// <summary>Dtype and shape of the value.</summary>
    public TensorType Type { get; }

    /// <summary>A qualified name for inputs, variables and random draws; otherwise null.</summary>
    public string? Name { get; }

    /// <summary>The builder this node belongs to.</summary>
    public GraphBuilder Owner { get; }

    /// <summary>
    /// The values this node's kernel writes: the node itself, then for a <see cref="MultiOutputOp"/>
    /// one projection (<see cref="OutputOp"/>) per further output, in output order. A projection's
    /// own list is just itself.
    /// </summary>
    public IReadOnlyList<Node> Outputs => _outputs;

    /// <summary>The node whose kernel writes this value: the producer of a projection, otherwise the node itself.</summary>
    public Node Producer => Op is OutputOp ? Inputs[0] : this;

    /// <summary>Which output of <see cref="Producer"/> this value is (0 unless it is a projection).</summary>
    public int OutputIndex => Op is OutputOp o ? o.Index : 0;

    /// <summary>Records the projections of a multi-output node; the builder calls it once, before returning the node.</summary>
    internal void SetOutputs(Node[] outputs) => _outputs = Array.AsReadOnly(outputs);

    /// <summary>Shorthand for Type.Shape.</summary>
    public Shape Shape => Type.Shape;

    /// <summary>Shorthand for Type.DType.</summary>
    public DType DType => Type.DType;

    /// <summary>The SSA name, %Id.</summary>
    public override string ToString() => "%" + Id;
}
