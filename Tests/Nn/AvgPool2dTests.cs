using StaticGraph.Conformance;
using StaticGraph.Ops;
using Xunit;

namespace StaticGraph.Tests.Nn;

public class AvgPool2dTests
{
    [Theory]
    [MemberData(nameof(MaxPool2dTests.Windows), MemberType = typeof(MaxPool2dTests))]
    public void Forward_matches_the_naive_reference_with_padding_counted(int[] xs, int kernel, int stride, int pad)
    {
        var x = TestValues.Uniform(TestValues.Count(xs), seed: 31);
        var actual = OpRunner.RunF64([xs], [x], (b, i) => b.AvgPool2d(i[0], kernel, stride, pad));
        BatchNormTests.AssertClose(NaiveReference.AvgPool2d(x, xs, kernel, stride, pad), actual, 1e-14);
    }

    [Theory]
    [MemberData(nameof(MaxPool2dTests.Windows), MemberType = typeof(MaxPool2dTests))]
    public void Gradient_matches_central_differences(int[] xs, int kernel, int stride, int pad)
    {
        GradientChecker.Check(GradientProblem.Of("avg_pool2d", [xs], [TestValues.Uniform(TestValues.Count(xs), seed: 32)],
            (b, i) => b.AvgPool2d(i[0], kernel, stride, pad)));
    }

    [Fact]
    public void A_padded_corner_window_divides_by_the_whole_kernel_like_pytorch()
    {
        var y = OpRunner.RunF64([[1, 1, 3, 3]], [Enumerable.Repeat(1.0, 9).ToArray()], (b, i) => b.AvgPool2d(i[0], 3, 1, 1));
        BatchNormTests.AssertClose([4 / 9.0, 6 / 9.0, 4 / 9.0, 6 / 9.0, 1, 6 / 9.0, 4 / 9.0, 6 / 9.0, 4 / 9.0], y, 1e-15);
    }

    [Fact]
    public void The_gradient_spreads_evenly_and_drops_the_padded_share()
    {
        var dx = MaxPool2dTests.PoolGradient([1, 1, 2, 2], [1, 2, 3, 4], b => b.AvgPool2d, kernel: 2, stride: 1, pad: 1);
        BatchNormTests.AssertClose([1, 1, 1, 1], dx, 1e-15);
    }

    [Fact]
    public void The_backward_op_has_an_exact_gradient_of_its_own()
    {
        int[] xs = [2, 3, 7, 6], ys = [2, 3, 4, 3];
        GradientChecker.Check(GradientProblem.Of("avg_pool2d_backward", [ys], [TestValues.Uniform(TestValues.Count(ys), seed: 33)],
            (b, i) => b.Apply(new AvgPool2dBackwardOp(new Shape(xs), 3, 2, 1), i[0])));
    }

    [Fact]
    public void Forward_and_backward_are_bitwise_identical_with_one_and_two_threads()
    {
        int[] xs = [7, 5, 13, 11];
        var x = TestValues.Uniform(TestValues.Count(xs), seed: 34);
        var b0 = new GraphBuilder();
        int[] ys = b0.AvgPool2d(b0.Input("x", DType.F32, xs), 3, 2, 1).Shape.ToArray();
        var r = TestValues.Uniform(TestValues.Count(ys), seed: 35);
        Node[] Build(GraphBuilder b, Node[] i)
        {
            var y = b.AvgPool2d(i[0], 3, 2, 1);
            return [y, Autodiff.Gradients(b.SumAll(b.Mul(y, i[1])), [i[0]])[i[0]]];
        }
        Bitwise.AssertIdentical(OpRunner.RunF32([xs, ys], [x, r], Build, threads: 1), OpRunner.RunF32([xs, ys], [x, r], Build, threads: 2));
    }

    [Fact]
    public void Bad_windows_and_gradient_shapes_fail_when_built()
    {
        var b = new GraphBuilder();
        var x = b.Input("x", DType.F32, 2, 3, 5, 5);
        Assert.EndsWith("avg_pool2d(%0) kernel=3 stride=2 pad=1 : f32[2,3,3,3]", GraphPrinter.Line(b.AvgPool2d(x, 3, 2, 1)));
        Conv2dTests.AssertNames(Assert.Throws<GraphBuildException>(() => b.AvgPool2d(x, 2, 2, 2)),
            "avg_pool2d", "f32[2,3,5,5]", "padding at most half the kernel");
        var e = Assert.Throws<GraphBuildException>(() => b.Apply(new AvgPool2dBackwardOp(new Shape(2, 3, 5, 5), 3, 2, 1), b.Input("dy", DType.F32, 2, 3, 2, 2)));
        Conv2dTests.AssertNames(e, "avg_pool2d_backward", "f32[2,3,2,2]", "shape [2,3,3,3]");
    }
}
