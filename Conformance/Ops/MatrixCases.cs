using static StaticGraph.Conformance.Ops.CaseHelpers;

namespace StaticGraph.Conformance.Ops;

/// <summary>Matrix products (every transpose flag, vectors as matrices), softmax and the cross-entropy loss.</summary>
internal static class MatrixCases
{
    /// <summary>Every case of the family.</summary>
    public static IEnumerable<OpCase> All()
    {
        var (m, k, n) = (3, 5, 4);
        foreach (var ta in new[] { false, true })
            foreach (var tb in new[] { false, true })
                yield return Case<MatMulOp>($"matmul/{(ta ? "t" : "n")}{(tb ? "t" : "n")}", [In("a", ta ? [k, m] : [m, k]), In("b", tb ? [n, k] : [k, n])],
                    (b, x) => b.MatMul(x[0], x[1], ta, tb));
        yield return Cases<MatMulOp>("matmul/vectors", [In("row", [1, 7]), In("col", [7, 1])],
            (b, x) => [b.MatMul(x[1], x[0]), b.MatMul(x[0], x[1]), b.MatMul(x[0], x[0], transposeA: true)]);
        yield return Case<MatMulOp>("matmul/classifier", [In("x", [8, 64]), In("w", [64, 10])], (b, x) => b.MatMul(x[0], x[1]));

        yield return Case<SoftmaxOp>("softmax", [In("x", [7, 13])], (b, x) => b.Softmax(x[0]));
        yield return Case<SoftmaxOp>("log_softmax", [In("x", [7, 13])], (b, x) => b.LogSoftmax(x[0]));
        yield return Cases<SoftmaxOp>("softmax/large-logits", [In("x", [7, 13])], (b, x) => [b.Softmax(b.Scale(x[0], 40)), b.LogSoftmax(b.Scale(x[0], 40))]);
        // One class per row: the outputs are exactly 1 and 0, and the gradient is 0 in exact arithmetic, so a rounded one
        // has no scale to be measured against: forward only.
        yield return Cases<SoftmaxOp>("softmax/single-class-rows", [In("x", [2, 3, 1])], (b, x) => [b.Softmax(x[0]), b.LogSoftmax(x[0])]).ForwardOnly();

        var labels = CaseInput.Ints("labels", [7], Values.Fixed(2, 0, 4, 4, 1, 3, 0));
        yield return Case<SoftmaxCrossEntropyOp>("softmax_cross_entropy/labels", [In("logits", [7, 5]), labels],
            (b, x) => b.SoftmaxCrossEntropy(b.Scale(x[0], 3), x[1]));
        yield return Case<SoftmaxCrossEntropyOp>("softmax_cross_entropy/labels-smoothed", [In("logits", [7, 5]), labels],
            (b, x) => b.SoftmaxCrossEntropy(b.Scale(x[0], 3), x[1], 0.1));
        yield return Case<SoftmaxCrossEntropyOp>("softmax_cross_entropy/soft-targets", [In("logits", [6, 4]), In("targets", [6, 4], Values.Distributions(4))],
            (b, x) => b.SoftmaxCrossEntropy(x[0], x[1], 0.2));
        // |targets| rows that do not sum to 1 exercise the S p - t' form of the gradient.
        yield return Case<SoftmaxCrossEntropyOp>("softmax_cross_entropy/unnormalised-targets", [In("logits", [6, 4]), In("targets", [6, 4], Values.AwayFromZero)],
            (b, x) => b.SoftmaxCrossEntropy(x[0], b.Abs(x[1])));
        yield return Case<SoftmaxCrossEntropyBackwardOp>("softmax_cross_entropy_backward/labels", [In("logits", [7, 5]), labels, In("dloss", [])],
            (b, x) => b.Apply(new SoftmaxCrossEntropyBackwardOp(0.1), x[0], x[1], x[2]));
        yield return Case<SoftmaxCrossEntropyBackwardOp>("softmax_cross_entropy_backward/soft-targets",
            [In("logits", [6, 4]), In("targets", [6, 4], Values.Distributions(4)), In("dloss", [])],
            (b, x) => b.Apply(new SoftmaxCrossEntropyBackwardOp(0.2), x[0], x[1], x[2]));
        yield return Case<OneHotOp>("one_hot", [CaseInput.Ints("labels", [6], Values.Fixed(0, 4, 2, 2, 1, 3))], (b, x) => b.OneHot(x[0], 5, b.FloatType));
    }
}
