using System.Globalization;

namespace StaticGraph.Ops;

/// <summary>
/// The gradient of <see cref="SoftmaxCrossEntropyOp"/> with respect to its logits, fused:
/// <c>(softmax(logits) * sum_k t'_k - t') * dloss / N</c> per row, with t' the smoothed targets;
/// for targets that are distributions (class indices, Mixup blends) the sum is 1 and this is the
/// familiar <c>(softmax - t') * dloss / N</c>. Inputs are the logits [N, K], the labels (i32 [N]
/// or soft targets [N, K]) and the scalar gradient of the loss.
/// </summary>
public sealed class SoftmaxCrossEntropyBackwardOp(double labelSmoothing) : Op
{
    /// <summary>The smoothing eps in [0, 1) of the forward op.</summary>
    public double LabelSmoothing { get; } = labelSmoothing;

    /// <inheritdoc/>
    public override string Name => "softmax_cross_entropy_backward";

    /// <inheritdoc/>
    public override string Attributes => LabelSmoothing == 0 ? "" : "label_smoothing=" + LabelSmoothing.ToString("G6", CultureInfo.InvariantCulture);

    /// <inheritdoc/>
    public override TensorType InferType(IReadOnlyList<TensorType> inputs)
    {
        ExpectArity(inputs, 3);
        SoftmaxCrossEntropyOp.CheckLogitsAndLabels(inputs[0], inputs[1], LabelSmoothing);
        if (inputs[2] != new TensorType(inputs[0].DType, Shape.Scalar))
            throw Fail($"expected the loss gradient to be a scalar {inputs[0].DType.ShortName()}[], got {inputs[2]}");
        return inputs[0];
    }

    /// <inheritdoc/>
    public override Node?[] Gradient(GraphBuilder b, Node node, Node g)
    {
        // Second derivatives, for losses built on gradients. With s = dloss / N and S = sum_k t'_k
        // the output row is s (S p - t'), so with c = g - <g, p> (g centred under p):
        // d logits = s S p c (the softmax Jacobian), d t = -(1 - eps) s c, and
        // d dloss = sum(g * output / dloss), i.e. this op evaluated at dloss = 1.
        var (logits, labels, dloss) = (node.Inputs[0], node.Inputs[1], node.Inputs[2]);
        var s = b.Scale(dloss, 1.0 / logits.Shape[0]);
        var p = b.Softmax(logits);
        var centred = b.Sub(g, b.Sum(b.Mul(g, p), [1], keepDims: true));
        var jacobian = b.Mul(p, centred);
        Node dlogits;
        Node? dlabels = null;
        if (labels.DType == DType.I32)
        {
            dlogits = b.Mul(s, jacobian);
        }
        else
        {
            var targetSum = b.AddScalar(b.Scale(b.Sum(labels, [1], keepDims: true), 1 - LabelSmoothing), LabelSmoothing);
            dlogits = b.Mul(s, b.Mul(targetSum, jacobian));
            dlabels = b.Mul(centred, b.Scale(s, -(1 - LabelSmoothing)));
        }
        var perUnitLoss = b.Apply(new SoftmaxCrossEntropyBackwardOp(LabelSmoothing), logits, labels, b.Scalar(1, dloss.DType));
        var ddloss = b.SumAll(b.Mul(g, perUnitLoss));
        return [dlogits, dlabels, ddloss];
    }
}
