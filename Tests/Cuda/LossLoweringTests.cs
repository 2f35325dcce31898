using StaticGraph.Ops;
using StaticGraph.Tests.Cuda.Emulation;
using Xunit;

namespace StaticGraph.Tests.Cuda;

/// <summary>Softmax cross-entropy and its fused gradient: per-row kernels and an ordered mean, CPU semantics on the emulator.</summary>
public class LossLoweringTests
{
    private static readonly int[] Labels = [2, 0, 4, 4, 1, 3, 0];

    [Theory]
    [InlineData(DType.F32, 0.0)]
    [InlineData(DType.F32, 0.1)]
    [InlineData(DType.F64, 0.0)]
    [InlineData(DType.F64, 0.1)]
    public void Cross_entropy_of_class_indices_and_its_gradient_match_the_CPU(DType dtype, double smoothing)
    {
        var b = new GraphBuilder(dtype);
        var logits = b.Input("logits", dtype, 7, 5);
        var labels = b.Input("labels", DType.I32, 7);
        var dloss = b.Input("dloss", dtype);
        var loss = b.SoftmaxCrossEntropy(b.Scale(logits, 10), labels, smoothing);
        var grad = b.Apply(new SoftmaxCrossEntropyBackwardOp(smoothing), logits, labels, dloss);
        var feeds = ElementwiseLoweringTests.Feeds(dtype, ("logits", 35), ("dloss", 1));
        feeds["labels"] = Labels;
        EmulatorParity.AssertMatchesCpu(GraphProgram.Inference(loss, grad), feeds);
    }

    [Theory]
    [InlineData(DType.F32, 0.0)]
    [InlineData(DType.F32, 0.2)]
    [InlineData(DType.F64, 0.0)]
    [InlineData(DType.F64, 0.2)]
    public void Cross_entropy_of_soft_targets_that_are_not_distributions_matches_the_CPU(DType dtype, double smoothing)
    {
        var b = new GraphBuilder(dtype);
        var logits = b.Input("logits", dtype, 6, 4);
        var targets = b.Input("targets", dtype, 6, 4);
        var dloss = b.Input("dloss", dtype);
        // |sin| targets: rows that do not sum to 1 exercise the S p - t' form of the gradient.
        var t = b.Abs(targets);
        var loss = b.SoftmaxCrossEntropy(logits, t, smoothing);
        var grad = b.Apply(new SoftmaxCrossEntropyBackwardOp(smoothing), logits, t, dloss);
        EmulatorParity.AssertMatchesCpu(GraphProgram.Inference(loss, grad), ElementwiseLoweringTests.Feeds(dtype, ("logits", 24), ("targets", 24), ("dloss", 1)));
    }

    [Theory]
    [InlineData(DType.F32)]
    [InlineData(DType.F64)]
    public void A_classifier_with_mixed_one_hot_targets_trains_like_the_CPU(DType dtype)
    {
        var b = new GraphBuilder(dtype);
        var x = b.Input("x", dtype, 7, 5);
        var labels = b.Input("labels", DType.I32, 7);
        var w = b.Parameter("w", Initializer.Constant(0.3), [7, 5]);
        var logits = b.Mul(x, w);
        var hard = b.SoftmaxCrossEntropy(logits, labels, 0.1);
        // A Mixup-like blend of one-hot rows: soft targets whose gradient also flows through the labels' path.
        var soft = b.SoftmaxCrossEntropy(logits, b.Add(b.Scale(b.OneHot(labels, 5, dtype), 0.7), b.Scale(b.Softmax(logits), 0.3)));
        var program = Autodiff.Train(b.Add(hard, soft), Sgd.WithNesterov(0.9, 1e-3), Schedule.Constant(0.1));
        var feeds = ElementwiseLoweringTests.Feeds(dtype, ("x", 35));
        feeds["labels"] = Labels;
        EmulatorParity.AssertMatchesCpu(program, feeds, runs: 3);
    }
}
