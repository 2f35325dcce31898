using System.Globalization;

namespace StaticGraph.Ops;

/// <summary>
/// The mean over rows of the cross-entropy between softmax(logits) and target distributions:
/// <c>loss = (1/N) sum_n sum_k -t'[n,k] log softmax(logits[n])[k]</c>, a scalar. Logits are [N, K];
/// labels are either class indices (i32 [N]; a value outside [0, K) is a run-time error naming
/// the row) or soft targets of the logits' dtype ([N, K], e.g. Mixup's blends). Label smoothing
/// eps turns targets t into t' = (1 - eps) t + eps / K, with t the one-hot of a class index.
/// </summary>
public sealed class SoftmaxCrossEntropyOp(double labelSmoothing) : Op
{
    /// <summary>The smoothing eps in [0, 1).</summary>
    public double LabelSmoothing { get; } = labelSmoothing;

    /// <inheritdoc/>
    public override string Name => "softmax_cross_entropy";

    /// <inheritdoc/>
    public override string Attributes => LabelSmoothing == 0 ? "" : "label_smoothing=" + LabelSmoothing.ToString("G6", CultureInfo.InvariantCulture);

    /// <inheritdoc/>
    public override TensorType InferType(IReadOnlyList<TensorType> inputs)
    {
        ExpectArity(inputs, 2);
        CheckLogitsAndLabels(inputs[0], inputs[1], LabelSmoothing);
        return new TensorType(inputs[0].DType, Shape.Scalar);
    }

    /// <inheritdoc/>
    public override Node?[] Gradient(GraphBuilder b, Node node, Node dloss)
    {
        var (logits, labels) = (node.Inputs[0], node.Inputs[1]);
        // d loss / d logits = (softmax sum(t') - t') / N, fused into one op (see its kernel).
        var dlogits = b.Apply(new SoftmaxCrossEntropyBackwardOp(LabelSmoothing), logits, labels, dloss);
        if (labels.DType == DType.I32) return [dlogits, null];
        // d loss / d t = -(1 - eps) log softmax(logits) / N: smoothing scales the targets' share.
        var scale = b.Scale(dloss, -(1 - LabelSmoothing) / logits.Shape[0]);
        return [dlogits, b.Mul(b.LogSoftmax(logits), scale)];
    }

    /// <summary>
    /// The type rule shared with the backward op: float logits [N, K]; labels i32 [N] or soft
    /// targets of the logits' type; a smoothing in [0, 1).
    /// </summary>
    internal static void CheckLogitsAndLabels(TensorType logits, TensorType labels, double labelSmoothing)
    {
        ExpectFloat(logits, "the logits");
        if (logits.Shape.Rank != 2) throw Fail($"expected logits [N,K], got {logits}");
        var n = logits.Shape[0];
        var isIndices = labels.DType == DType.I32 && labels.Shape.Rank == 1 && labels.Shape[0] == n;
        if (!isIndices && labels != logits)
            throw Fail($"expected labels to be class indices i32[{n}] or soft targets {logits}, got {labels}");
        if (!(labelSmoothing >= 0 && labelSmoothing < 1))
            throw Fail($"expected a label smoothing in [0, 1), got {labelSmoothing.ToString(CultureInfo.InvariantCulture)}");
    }
}

/// <summary>Builder method for <see cref="SoftmaxCrossEntropyOp"/>.</summary>
public static class SoftmaxCrossEntropyBuilder
{
    /// <summary>
    /// Mean softmax cross-entropy of <paramref name="logits"/> [N, K] against <paramref name="labels"/>:
    /// class indices i32 [N] or soft targets [N, K]; <paramref name="labelSmoothing"/> mixes the
    /// targets with the uniform distribution. Returns a scalar of the logits' dtype.
    /// </summary>
    public static Node SoftmaxCrossEntropy(this GraphBuilder b, Node logits, Node labels, double labelSmoothing = 0) =>
        b.Apply(new SoftmaxCrossEntropyOp(labelSmoothing), logits, labels);
}
