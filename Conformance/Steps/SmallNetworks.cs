using StaticGraph.Regularizers;

namespace StaticGraph.Conformance.Steps;

/// <summary>
/// Small training programs, each putting one op family and its gradient rules through whole steps with the SGD state
/// updates: a CNN (convolutions with stride and groups, both poolings), a perceptron (every GEMM transpose), a batch
/// normalisation network, a classifier on mixed one-hot targets, a chain of shape ops and one of reductions, and a small
/// residual network with dropout and ShakeDrop (the regularizers the zoo uses only in its largest models).
/// </summary>
internal static class SmallNetworks
{
    /// <summary>Every small network.</summary>
    public static IEnumerable<StepProgram> All()
    {
        yield return new("small-cnn", dtype =>
        {
            var b = new GraphBuilder(dtype);
            var x = b.Input("x", dtype, 2, 2, 8, 8);
            var labels = b.Input("labels", DType.I32, 2);
            var h = b.Relu(b.Conv2d(x, 4, kernel: 3, padding: 1, bias: true, name: "c1"));
            h = b.AvgPool2d(h, 2);
            h = b.Relu(b.Conv2d(h, 6, kernel: 3, stride: 2, padding: 1, groups: 2, name: "c2"));
            h = b.MaxPool2d(h, 2, 1);
            var logits = b.Linear(b.Flatten(b.GlobalAvgPool(h)), 3);
            return Autodiff.Train(b.SoftmaxCrossEntropy(logits, labels), new Sgd(0.9, 1e-3, Nesterov: false), Schedule.Constant(0.1), logits);
        }, () => Feeds(("x", Values.Signed(256, 1)), ("labels", [2, 0])));

        yield return new("perceptron", dtype =>
        {
            var b = new GraphBuilder(dtype);
            var x = b.Input("x", dtype, 5, 6);
            var target = b.Input("target", dtype, 5, 2);
            var h = b.Relu(b.Linear(x, 8, name: "l1"));
            var w2 = b.Parameter("w2", Initializer.Uniform(0.5), [8, 2], dtype: dtype);
            var y = b.MatMul(b.MatMul(h, w2), b.MatMul(w2, w2, transposeA: true), transposeB: true);
            return Autodiff.Train(b.MeanAll(b.Square(b.Sub(y, target))), new Sgd(0.5, 0, Nesterov: true), Schedule.Constant(0.05), y);
        }, () => Feeds(("x", Values.Normal(30, 2)), ("target", Values.Normal(10, 3))));

        foreach (var nesterov in new[] { false, true })
        {
            // batch norm (learned scale and shift, running statistics) -> relu -> global mean -> weighted sum -> cross-entropy.
            yield return new(nesterov ? "batch-norm-net+nesterov" : "batch-norm-net", dtype =>
            {
                var b = new GraphBuilder(dtype);
                var x = b.Input("x", dtype, 4, 3, 5, 5);
                var labels = b.Input("labels", DType.I32, 4);
                var h = b.Relu(b.BatchNorm(b.Scale(x, 2), name: "bn"));
                var logits = b.Mul(b.GlobalAvgPool(h), b.Parameter("w", Initializer.Constant(0.5), [4, 3]));
                var loss = b.Add(b.SoftmaxCrossEntropy(logits, labels, 0.1), b.Scale(b.SumAll(b.ReduceMax(h, [2, 3])), 0.01));
                return Autodiff.Train(loss, new Sgd(0.9, 5e-4, nesterov), Schedule.Constant(0.1), logits);
            }, () => Feeds(("x", Values.Normal(300, 4)), ("labels", [0, 2, 1, 2])));
        }

        // A Mixup-like blend of one-hot rows: soft targets whose gradient also flows through the labels' path.
        yield return new("cross-entropy-mixed-targets", dtype =>
        {
            var b = new GraphBuilder(dtype);
            var x = b.Input("x", dtype, 7, 5);
            var labels = b.Input("labels", DType.I32, 7);
            var logits = b.Mul(x, b.Parameter("w", Initializer.Constant(0.3), [7, 5]));
            var hard = b.SoftmaxCrossEntropy(logits, labels, 0.1);
            var soft = b.SoftmaxCrossEntropy(logits, b.Add(b.Scale(b.OneHot(labels, 5, dtype), 0.7), b.Scale(b.Softmax(logits), 0.3)));
            return Autodiff.Train(b.Add(hard, soft), Sgd.WithNesterov(0.9, 1e-3), Schedule.Constant(0.1), logits);
        }, () => Feeds(("x", Values.Normal(35, 5)), ("labels", [2, 0, 4, 4, 1, 3, 0])));

        yield return new("shape-ops", dtype =>
        {
            var b = new GraphBuilder(dtype);
            var p = b.Parameter("p", Initializer.Uniform(1), [4, 3, 5, 5], dtype: dtype);
            var idx = b.Input("idx", DType.I32, 5);
            var offsets = b.Input("offsets", DType.I32, 5, 2);
            var weights = b.Input("weights", dtype, 5, 5, 5, 4);
            var h = b.Concat(1, b.Slice(p, 1, 1, 3), b.Pad(b.Slice(p, [0, 0, 1, 1], [4, 3, 4, 5]), [0, 0, 1, 0], [0, 0, 1, 1]));
            h = b.Translate(b.GatherRows(h, idx), offsets);
            h = b.Slice(b.Transpose(h, 0, 2, 3, 1), 3, 1, 5);
            return Autodiff.Train(b.SumAll(b.Mul(b.Square(h), weights)), new Sgd(0.9, 0, Nesterov: false), Schedule.Constant(0.01));
        }, () => Feeds(("weights", Values.Normal(500, 6)), ("idx", [2, 0, 2, 3, 2]), ("offsets", [1, 0, 0, -1, -2, 2, 0, 0, 3, 1])));

        yield return new("reductions-softmax", dtype =>
        {
            var b = new GraphBuilder(dtype);
            var x = b.Input("x", dtype, 4, 6);
            var h = b.Mul(x, b.Parameter("w", Initializer.Constant(0.5), [4, 6]));
            var loss = b.Add(b.MeanAll(b.Mul(b.Softmax(h), h)), b.Add(b.SumAll(b.LogSoftmax(h)), b.SumAll(b.ReduceMax(h, [1]))));
            return Autodiff.Train(loss, Sgd.WithMomentum(0.9, 1e-3), Schedule.Constant(0.05));
        }, () => Feeds(("x", Values.Normal(24, 7))));

        yield return RegularizedResidual();
    }

    /// <summary>conv → batch norm → relu → dropout → a residual conv through ShakeDrop → classifier.</summary>
    private static StepProgram RegularizedResidual() => new("dropout+shakedrop-net", dtype =>
    {
        var b = new GraphBuilder(dtype);
        var x = b.Input("x", dtype, 4, 3, 6, 6);
        var labels = b.Input("labels", DType.I32, 4);
        var h = Dropout.Apply(b, b.Relu(b.BatchNorm(b.Conv2d(x, 6, kernel: 3, padding: 1, name: "c1"), name: "bn1")), 0.3);
        h = b.Add(h, ShakeDrop.Apply(b, b.BatchNorm(b.Conv2d(h, 6, kernel: 3, padding: 1, name: "c2"), name: "bn2"), 0.5));
        var logits = b.Linear(b.Flatten(b.GlobalAvgPool(h)), 5);
        return Autodiff.Train(b.SoftmaxCrossEntropy(logits, labels), Sgd.WithNesterov(0.9, 5e-4), Schedule.Constant(0.1), logits);
    }, () => Feeds(("x", Values.Signed(432, 8)), ("labels", [1, 4, 0, 2])));

    private static Dictionary<string, double[]> Feeds(params (string Name, double[] Values)[] feeds) => feeds.ToDictionary(f => f.Name, f => f.Values);
}
