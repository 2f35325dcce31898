using StaticGraph.Backend;
using StaticGraph.Backend.Cpu;
using StaticGraph.Conformance;
using StaticGraph.Ops;
using Xunit;

namespace StaticGraph.Tests.Ops;

public class SoftmaxCrossEntropyOpTests
{
    private static readonly double[] Logits = [1, 2, 3, 0, 0, Math.Log(2)];

    [Fact]
    public void Class_indices_give_the_mean_negative_log_probability()
    {
        var b = new GraphBuilder(DType.F64);
        var loss = b.SoftmaxCrossEntropy(b.Constant(Logits, DType.F64, 2, 3), b.Constant([2, 0], DType.I32, 2));
        Assert.Equal(Shape.Scalar, loss.Shape);
        var lse = Math.Log(Math.Exp(1) + Math.Exp(2) + Math.Exp(3));
        var expected = ((lse - 3) + -Math.Log(0.25)) / 2;
        Assert.Equal(expected, Evaluate.Values(loss)[0], 14);
    }

    [Fact]
    public void Label_smoothing_mixes_the_targets_with_the_uniform_distribution()
    {
        const double eps = 0.3;
        var b = new GraphBuilder(DType.F64);
        var loss = b.SoftmaxCrossEntropy(b.Constant(Logits, DType.F64, 2, 3), b.Constant([2, 0], DType.I32, 2), eps);
        var targets = new double[] { eps / 3, eps / 3, 1 - eps + eps / 3, 1 - eps + eps / 3, eps / 3, eps / 3 };
        Assert.Equal(Naive(Logits, targets, 3), Evaluate.Values(loss)[0], 14);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.1)]
    public void Soft_targets_are_smoothed_the_same_way(double eps)
    {
        var soft = new[] { 0.2, 0.8, 0, 0.5, 0.25, 0.25 };
        var b = new GraphBuilder(DType.F64);
        var loss = b.SoftmaxCrossEntropy(b.Constant(Logits, DType.F64, 2, 3), b.Constant(soft, DType.F64, 2, 3), eps);
        var targets = soft.Select(t => (1 - eps) * t + eps / 3).ToArray();
        Assert.Equal(Naive(Logits, targets, 3), Evaluate.Values(loss)[0], 14);
    }

    [Fact]
    public void One_hot_soft_targets_equal_class_indices()
    {
        var b = new GraphBuilder(DType.F64);
        var logits = b.Constant(Logits, DType.F64, 2, 3);
        var byIndex = b.SoftmaxCrossEntropy(logits, b.Constant([1, 2], DType.I32, 2), 0.2);
        var bySoft = b.SoftmaxCrossEntropy(logits, b.Constant([0, 1, 0, 0, 0, 1], DType.F64, 2, 3), 0.2);
        Assert.Equal(Evaluate.Values(byIndex)[0], Evaluate.Values(bySoft)[0], 14);
    }

    [Fact]
    public void F32_agrees_with_f64_and_is_the_same_for_any_thread_count()
    {
        const int n = 3000, k = 20;
        var random = new System.Random(6);
        var logits = Values.Normal(n * k, 60).Select(v => 4 * v).ToArray();
        var labels = Enumerable.Range(0, n).Select(_ => (double)random.Next(k)).ToArray();
        double Loss(DType dtype, int threads)
        {
            var b = new GraphBuilder(dtype);
            var loss = b.SoftmaxCrossEntropy(b.Constant(logits, dtype, n, k), b.Constant(labels, DType.I32, n), 0.1);
            return Evaluate.Values(loss, threads: threads)[0];
        }
        Assert.Equal(Loss(DType.F64, 1), Loss(DType.F64, 2));
        Assert.Equal(Loss(DType.F32, 1), Loss(DType.F32, 2));
        Assert.Equal(Loss(DType.F64, 2), Loss(DType.F32, 2), 5);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.1)]
    public void Gradient_with_class_indices_matches_central_differences(double eps) =>
        GradientChecker.Check("softmax_cross_entropy (labels)", (b, x) => b.SoftmaxCrossEntropy(x[0], b.Constant([2, 0, 3], DType.I32, 3), eps), [3, 4]);

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.2)]
    public void Gradient_with_soft_targets_reaches_logits_and_targets(double eps) =>
        GradientChecker.Check("softmax_cross_entropy (soft targets)", (b, x) => b.SoftmaxCrossEntropy(x[0], x[1], eps), [3, 4], [3, 4]);

    [Fact]
    public void Backward_op_gradients_match_central_differences()
    {
        GradientChecker.Check("softmax_cross_entropy_backward (soft targets)", (b, x) => b.Apply(new SoftmaxCrossEntropyBackwardOp(0.2), x[0], x[1], x[2]), [3, 4], [3, 4], []);
        GradientChecker.Check("softmax_cross_entropy_backward (labels)", (b, x) => b.Apply(new SoftmaxCrossEntropyBackwardOp(0.1), x[0], b.Constant([1, 3, 0], DType.I32, 3), x[1]), [3, 4], []);
    }

    [Fact]
    public void Backward_op_is_softmax_minus_targets_scaled()
    {
        var b = new GraphBuilder(DType.F64);
        var dlogits = b.Apply(new SoftmaxCrossEntropyBackwardOp(0), b.Constant(Logits, DType.F64, 2, 3), b.Constant([2, 0], DType.I32, 2), b.Scalar(3));
        var e = new[] { Math.Exp(1), Math.Exp(2), Math.Exp(3) };
        var s = e.Sum();
        var expected = new[] { e[0] / s, e[1] / s, e[2] / s - 1, 0.25 - 1, 0.25, 0.5 }.Select(v => v * 3 / 2).ToArray();
        Evaluate.AssertClose(expected, Evaluate.Values(dlogits), 1e-15);
    }

    [Fact]
    public void A_label_out_of_range_fails_at_run_time_naming_the_row()
    {
        var b = new GraphBuilder(DType.F64);
        var loss = b.SoftmaxCrossEntropy(b.Constant(Logits, DType.F64, 2, 3), b.Input("labels", DType.I32, 2));
        var grad = Autodiff.Gradients(loss, [b.Nodes[loss.Inputs[0].Id]]);
        using var run = CpuBackend.Instance.Compile(GraphProgram.Inference(loss), new CompileOptions(Threads: 2));
        run.SetInput<int>("labels", new[] { 1, 3 });
        var e = Assert.Throws<IndexOutOfRangeException>(run.Run);
        Assert.Contains("softmax_cross_entropy", e.Message);
        Assert.Contains("label of row 1 is 3", e.Message);

        using var backward = CpuBackend.Instance.Compile(GraphProgram.Inference(grad.Values.Single()), new CompileOptions(Threads: 2));
        backward.SetInput<int>("labels", new[] { -2, 0 });
        e = Assert.Throws<IndexOutOfRangeException>(backward.Run);
        Assert.Contains("softmax_cross_entropy_backward", e.Message);
        Assert.Contains("label of row 0 is -2", e.Message);
    }

    [Fact]
    public void Labels_must_be_indices_or_targets_shaped_like_the_logits()
    {
        var b = new GraphBuilder(DType.F64);
        var logits = b.Input("logits", DType.F64, 4, 3);
        foreach (var labels in new[] { b.Input("a", DType.I32, 3), b.Input("b", DType.I32, 4, 3), b.Input("c", DType.F64, 4), b.Input("d", DType.F32, 4, 3) })
        {
            var e = Assert.Throws<GraphBuildException>(() => b.SoftmaxCrossEntropy(logits, labels));
            Assert.Contains("softmax_cross_entropy", e.Message);
            Assert.Contains("f64[4,3]", e.Message);
            Assert.Contains(labels.Type.ToString(), e.Message);
            Assert.Contains("class indices i32[4] or soft targets f64[4,3]", e.Message);
        }
    }

    [Theory]
    [InlineData(-0.1)]
    [InlineData(1.0)]
    [InlineData(double.NaN)]
    public void Label_smoothing_must_be_in_zero_one(double eps)
    {
        var b = new GraphBuilder(DType.F64);
        var e = Assert.Throws<GraphBuildException>(() => b.SoftmaxCrossEntropy(b.Input("x", DType.F64, 4, 3), b.Input("y", DType.I32, 4), eps));
        Assert.Contains("softmax_cross_entropy", e.Message);
        Assert.Contains("f64[4,3]", e.Message);
        Assert.Contains("label smoothing in [0, 1)", e.Message);
    }

    [Fact]
    public void Logits_must_be_a_float_matrix()
    {
        var b = new GraphBuilder(DType.F64);
        var e = Assert.Throws<GraphBuildException>(() => b.SoftmaxCrossEntropy(b.Input("x", DType.F64, 12), b.Input("y", DType.I32, 12)));
        Assert.Contains("softmax_cross_entropy", e.Message);
        Assert.Contains("expected logits [N,K], got f64[12]", e.Message);
        e = Assert.Throws<GraphBuildException>(() => b.SoftmaxCrossEntropy(b.Input("xi", DType.I32, 4, 3), b.Input("yi", DType.I32, 4)));
        Assert.Contains("floating point", e.Message);
    }

    /// <summary>mean_n sum_k -t[n,k] log softmax(x[n])[k], straight from the definition.</summary>
    private static double Naive(double[] logits, double[] targets, int classes)
    {
        var rows = logits.Length / classes;
        double total = 0;
        for (var r = 0; r < rows; r++)
        {
            var row = logits.Skip(r * classes).Take(classes).ToArray();
            var lse = Math.Log(row.Sum(Math.Exp));
            for (var k = 0; k < classes; k++) total -= targets[r * classes + k] * (row[k] - lse);
        }
        return total / rows;
    }
}
