using StaticGraph.Conformance;
using StaticGraph.Ops;
using Xunit;

namespace StaticGraph.Tests.Nn;

public class MaxPool2dTests
{
    public static TheoryData<int[], int, int, int> Windows => new()
    {
        // x shape, kernel, stride, padding
        { [2, 3, 7, 7], 2, 2, 0 },
        { [2, 3, 7, 7], 3, 2, 1 },
        { [1, 2, 8, 5], 3, 1, 1 },
        { [3, 2, 6, 6], 2, 1, 0 },
        { [2, 1, 5, 5], 1, 1, 0 },
        { [5, 3, 9, 9], 3, 3, 1 },
        { [2, 2, 4, 6], 4, 2, 2 },
    };

    [Theory]
    [MemberData(nameof(Windows))]
    public void Forward_matches_the_naive_reference(int[] xs, int kernel, int stride, int pad)
    {
        var x = TestValues.Uniform(TestValues.Count(xs), seed: 21);
        var actual = OpRunner.RunF64([xs], [x], (b, i) => b.MaxPool2d(i[0], kernel, stride, pad));
        Assert.Equal(NaiveReference.MaxPool2d(x, xs, kernel, stride, pad), actual);
    }

    [Theory]
    [MemberData(nameof(Windows))]
    public void Gradient_matches_central_differences_away_from_ties(int[] xs, int kernel, int stride, int pad)
    {
        // Distinct values 0.01 apart: a 1e-5 step never changes which element is a window's maximum.
        GradientChecker.Check(GradientProblem.Of("max_pool2d", [xs], [TestValues.DistinctShuffled(TestValues.Count(xs), seed: 22)],
            (b, i) => b.MaxPool2d(i[0], kernel, stride, pad)));
    }

    [Fact]
    public void A_tied_window_sends_its_gradient_to_the_first_maximum_in_row_major_order()
    {
        var dx = PoolGradient([1, 1, 2, 4], [5, 5, 3, 5, 5, 5, 3, 7], b => b.MaxPool2d, kernel: 2);
        Assert.Equal(new double[] { 1, 0, 0, 0, 0, 0, 0, 1 }, dx);
    }

    [Fact]
    public void Overlapping_windows_add_their_gradients_on_a_shared_maximum()
    {
        var dx = PoolGradient([1, 1, 3, 3], [1, 2, 3, 4, 9, 5, 6, 7, 8], b => b.MaxPool2d, kernel: 2, stride: 1);
        Assert.Equal(new double[] { 0, 0, 0, 0, 4, 0, 0, 0, 0 }, dx);
    }

    [Fact]
    public void Padding_never_wins_over_negative_values()
    {
        var x = new double[] { -5, -4, -3, -2 };
        var y = OpRunner.RunF64([[1, 1, 2, 2]], [x], (b, i) => b.MaxPool2d(i[0], 2, 1, 1));
        Assert.Equal(new double[] { -5, -4, -4, -3, -2, -2, -3, -2, -2 }, y);
    }

    [Fact]
    public void Forward_and_backward_are_bitwise_identical_with_one_and_two_threads()
    {
        int[] xs = [7, 5, 13, 11];
        var x = TestValues.DistinctShuffled(TestValues.Count(xs), seed: 23, gap: 0.001);
        var b0 = new GraphBuilder();
        int[] ys = b0.MaxPool2d(b0.Input("x", DType.F32, xs), 3, 2, 1).Shape.ToArray();
        var r = TestValues.Uniform(TestValues.Count(ys), seed: 24);
        Node[] Build(GraphBuilder b, Node[] i)
        {
            var y = b.MaxPool2d(i[0], 3, 2, 1);
            return [y, Autodiff.Gradients(b.SumAll(b.Mul(y, i[1])), [i[0]])[i[0]]];
        }
        Bitwise.AssertIdentical(OpRunner.RunF32([xs, ys], [x, r], Build, threads: 1), OpRunner.RunF32([xs, ys], [x, r], Build, threads: 2));
    }

    [Fact]
    public void The_stride_defaults_to_the_kernel_and_the_listing_shows_the_window()
    {
        var b = new GraphBuilder();
        var y = b.MaxPool2d(b.Input("x", DType.F32, 2, 3, 8, 8), 2);
        Assert.EndsWith("max_pool2d(%0) kernel=2 stride=2 pad=0 : f32[2,3,4,4]", GraphPrinter.Line(y));
    }

    [Fact]
    public void Bad_windows_and_inputs_fail_when_built()
    {
        var b = new GraphBuilder();
        var x = b.Input("x", DType.F32, 2, 3, 4, 4);
        Conv2dTests.AssertNames(Assert.Throws<GraphBuildException>(() => b.MaxPool2d(x, 3, 1, 2)),
            "max_pool2d", "f32[2,3,4,4]", "padding at most half the kernel (1 for kernel 3), got 2");
        Conv2dTests.AssertNames(Assert.Throws<GraphBuildException>(() => b.MaxPool2d(x, 6)),
            "kernel 6x6 is larger than the padded input 4x4");
        Conv2dTests.AssertNames(Assert.Throws<GraphBuildException>(() => b.MaxPool2d(b.Input("v", DType.F32, 3, 4, 4), 2)),
            "f32[3,4,4]", "rank 4");
        Conv2dTests.AssertNames(Assert.Throws<GraphBuildException>(() => b.MaxPool2d(x, 0)), "kernel >= 1");
        Conv2dTests.AssertNames(Assert.Throws<GraphBuildException>(() => b.MaxPool2d(x, 2, 0)), "stride >= 1");
        Conv2dTests.AssertNames(Assert.Throws<GraphBuildException>(() => b.MaxPool2d(b.Input("i", DType.I32, 2, 3, 4, 4), 2)),
            "i32[2,3,4,4]", "floating point");
    }

    [Fact]
    public void The_backward_op_checks_the_gradient_shape_and_refuses_second_order()
    {
        var b = new GraphBuilder(DType.F64);
        var x = b.Input("x", DType.F64, 2, 3, 4, 4);
        var e = Assert.Throws<GraphBuildException>(() => b.Apply(new MaxPool2dBackwardOp(2, 2), x, b.Input("dy", DType.F64, 2, 3, 3, 3)));
        Conv2dTests.AssertNames(e, "max_pool2d_backward", "f64[2,3,3,3]", "pooled shape [2,3,2,2]");
        var dx = Autodiff.Gradients(b.SumAll(b.Square(b.MaxPool2d(x, 2))), [x])[x];
        Conv2dTests.AssertNames(Assert.Throws<NotSupportedException>(() => Autodiff.Gradients(b.SumAll(dx), [x])), "second-order");
    }

    /// <summary>The gradient of sum(pool(x)) with respect to x, in float64.</summary>
    internal static double[] PoolGradient(int[] xs, double[] x, Func<GraphBuilder, Func<Node, int, int?, int, Node>> pool, int kernel, int? stride = null, int pad = 0) =>
        OpRunner.RunF64([xs], [x], (b, i) =>
        {
            var loss = b.SumAll(pool(b)(i[0], kernel, stride, pad));
            return [Autodiff.Gradients(loss, [i[0]])[i[0]]];
        })[0];
}
