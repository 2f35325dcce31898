namespace StaticGraph.Ops;

/// <summary>
/// Softmax or log-softmax along the last axis of a floating-point tensor. Kernels subtract each
/// row's maximum before exponentiating, so large logits do not overflow.
/// </summary>
public sealed class SoftmaxOp(SoftmaxFunction function) : Op
{
    /// <summary>Softmax or log-softmax.</summary>
    public SoftmaxFunction Function { get; } = function;

    /// <inheritdoc/>
    public override string Name => Function == SoftmaxFunction.Softmax ? "softmax" : "log_softmax";

    /// <inheritdoc/>
    public override TensorType InferType(IReadOnlyList<TensorType> inputs)
    {
        ExpectArity(inputs, 1);
        ExpectFloat(inputs[0], "the operand");
        if (inputs[0].Shape.Rank == 0) throw Fail($"expected an operand with a last axis to normalise (rank 1 or more), got {inputs[0]}");
        return inputs[0];
    }

    /// <inheritdoc/>
    public override Node?[] Gradient(GraphBuilder b, Node node, Node dy)
    {
        var last = node.Shape.Rank - 1;
        return Function switch
        {
            // The Jacobian diag(y) - y y^T applied to dy: y * (dy - <dy, y>).
            SoftmaxFunction.Softmax => [b.Mul(node, b.Sub(dy, b.Sum(b.Mul(dy, node), [last], keepDims: true)))],
            // The Jacobian I - 1 softmax^T transposed: dy - softmax * sum(dy).
            SoftmaxFunction.LogSoftmax => [b.Sub(dy, b.Mul(b.Exp(node), b.Sum(dy, [last], keepDims: true)))],
            _ => throw new NotSupportedException($"no gradient rule for {Function}"),
        };
    }
}

/// <summary>Builder methods for softmax and log-softmax.</summary>
public static class SoftmaxBuilder
{
    /// <summary>exp(x) normalised to sum 1 along the last axis.</summary>
    public static Node Softmax(this GraphBuilder b, Node x) => b.Apply(new SoftmaxOp(SoftmaxFunction.Softmax), x);

    /// <summary>log softmax(x) along the last axis, computed without forming the softmax.</summary>
    public static Node LogSoftmax(this GraphBuilder b, Node x) => b.Apply(new SoftmaxOp(SoftmaxFunction.LogSoftmax), x);
}
