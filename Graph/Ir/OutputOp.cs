using System.Globalization;

namespace StaticGraph;

/// <summary>
/// Output <see cref="Index"/> (1 or more) of a <see cref="MultiOutputOp"/> node, its only input, as a
/// node of its own: listed as <c>%13 = output(%12) index=1 : f64[16]</c>. It has no kernel (the
/// producer's kernel writes it), a buffer of its own live from the producer's kernel to its last
/// reader, and its incoming gradient is handed to the producer's gradient rule by autodiff. Only
/// <see cref="GraphBuilder"/> creates it, together with its producer.
/// </summary>
public sealed class OutputOp : Op
{
    internal OutputOp(int index) => Index = index;

    /// <summary>Which output of the producer this is (1 or more; output 0 is the producer itself).</summary>
    public int Index { get; }

    /// <inheritdoc/>
    public override string Name => "output";

    /// <inheritdoc/>
    public override string Attributes => "index=" + Index.ToString(CultureInfo.InvariantCulture);

    /// <summary>Always fails: a projection's type comes from its producer's op, when the builder creates both.</summary>
    public override TensorType InferType(IReadOnlyList<TensorType> inputs) =>
        throw Fail("output projections are created with their producer by GraphBuilder.Apply of a multi-output op");

    /// <summary>Never called: autodiff hands a projection's gradient to its producer's gradient rule.</summary>
    public override Node?[] Gradient(GraphBuilder b, Node node, Node outputGradient) =>
        throw new InvalidOperationException($"the gradient of {node} goes to its producer {node.Inputs[0]}; autodiff routes it there");
}
