namespace StaticGraph;

/// <summary>
/// The definition of one primitive operation: its type rule (shapes and dtypes, checked when a
/// node is built) and its gradient rule, expressed as graph ops so that the backward pass is an
/// ordinary graph. Kernels live per backend and are found by the op's type. Most ops have one
/// output; an op that computes several values at once derives from <see cref="MultiOutputOp"/>.
/// </summary>
public abstract class Op
{
    /// <summary>The op's name in listings, e.g. "conv2d".</summary>
    public abstract string Name { get; }

    /// <summary>Attributes in listings, e.g. "stride=1 pad=1"; empty when there are none.</summary>
    public virtual string Attributes => "";

    /// <summary>The output type for these input types; call <see cref="Fail"/> when they are wrong.</summary>
    public abstract TensorType InferType(IReadOnlyList<TensorType> inputs);

    /// <summary>
    /// The type of every output for these input types, output 0 first. One output unless the op is a
    /// <see cref="MultiOutputOp"/>: the builder makes output 0 the node itself and each further output
    /// a projection node (<see cref="OutputOp"/>).
    /// </summary>
    public virtual TensorType[] InferTypes(IReadOnlyList<TensorType> inputs) => [InferType(inputs)];

    /// <summary>
    /// Gradients with respect to each input, given the gradient of the output, built as new nodes
    /// with <paramref name="b"/>. A null entry means no gradient flows to that input.
    /// </summary>
    public abstract Node?[] Gradient(GraphBuilder b, Node node, Node outputGradient);

    /// <summary>
    /// Gradients with respect to each input, given the gradient of each output (null where none
    /// flows; at least one is not null). Autodiff calls this form; a single-output op answers with
    /// <see cref="Gradient(GraphBuilder, Node, Node)"/>.
    /// </summary>
    public virtual Node?[] Gradient(GraphBuilder b, Node node, IReadOnlyList<Node?> outputGradients)
    {
        ArgumentNullException.ThrowIfNull(outputGradients);
        return outputGradients[0] is { } dy ? Gradient(b, node, dy)
            : throw new InvalidOperationException($"{node} ({Name}) has one output and was asked for a gradient without its output's");
    }

    /// <summary>
    /// The input whose bytes the output is, reinterpreted, in a program of <paramref name="mode"/>
    /// (reshape: input 0; mode_select: the input of that mode), or null when the op computes a new
    /// value. An aliasing node costs no buffer and no kernel, and only the aliased input is needed.
    /// </summary>
    public virtual int? AliasOf(ProgramMode mode) => null;

    /// <summary>Throws the type-rule failure; the builder adds the node and its inputs to the message.</summary>
    protected static Exception Fail(string expectation) => new OpTypeException(expectation);

    /// <summary>Checks the number of inputs.</summary>
    protected static void ExpectArity(IReadOnlyList<TensorType> inputs, int count)
    {
        if (inputs.Count != count) throw Fail($"expected {count} input(s), got {inputs.Count}");
    }

    /// <summary>Checks that an input has a floating-point dtype.</summary>
    protected static void ExpectFloat(TensorType t, string what)
    {
        if (!t.DType.IsFloat()) throw Fail($"expected {what} to be floating point, got {t}");
    }

    /// <summary>Checks that an input has the given rank.</summary>
    protected static void ExpectRank(TensorType t, int rank, string what)
    {
        if (t.Shape.Rank != rank) throw Fail($"expected {what} of rank {rank}, got {t}");
    }

    /// <summary>Checks that two inputs share a dtype.</summary>
    protected static void ExpectSameDType(TensorType a, TensorType b, string what)
    {
        if (a.DType != b.DType) throw Fail($"expected {what} to have the same dtype, got {a} and {b}");
    }

    /// <summary>A gradient rule for ops that have none (integer outputs, random draws).</summary>
    protected static Node?[] NoGradient(Node node) => new Node?[node.Inputs.Count];
}

/// <summary>Raised by an op's type rule; the builder turns it into a <see cref="GraphBuildException"/>.</summary>
public sealed class OpTypeException(string expectation) : Exception(expectation);
