namespace StaticGraph;

/// <summary>
/// An op that computes several values in one kernel, e.g. batch normalisation's output and the batch
/// statistics it normalised with, so that later nodes reuse them instead of computing them again.
/// Output 0 is the node itself; each further output i is a projection node
/// (<see cref="OutputOp"/> with index i) that <see cref="GraphBuilder"/> creates together with the
/// producer and records in <see cref="Node.Outputs"/>. A projection costs no kernel (the producer's
/// kernel writes it) and has its own buffer; programs keep every output of a kept producer, since a
/// kernel must always have all its outputs to write.
/// </summary>
public abstract class MultiOutputOp : Op
{
    /// <inheritdoc/>
    public abstract override TensorType[] InferTypes(IReadOnlyList<TensorType> inputs);

    /// <summary>The type of output 0 (the node itself).</summary>
    public sealed override TensorType InferType(IReadOnlyList<TensorType> inputs) => InferTypes(inputs)[0];

    /// <inheritdoc/>
    public abstract override Node?[] Gradient(GraphBuilder b, Node node, IReadOnlyList<Node?> outputGradients);

    /// <summary>The gradient when only output 0 receives one.</summary>
    public sealed override Node?[] Gradient(GraphBuilder b, Node node, Node outputGradient)
    {
        var gradients = new Node?[node.Outputs.Count];
        gradients[0] = outputGradient;
        return Gradient(b, node, gradients);
    }
}
