using StaticGraph.Conformance;
using StaticGraph.Ops;
using Xunit;

namespace StaticGraph.Tests.Nn;

public class Conv2dTests
{
    public static TheoryData<int[], int[], int, int, int, int> Geometries => new()
    {
        // x shape, w shape, stride, padding, dilation, groups
        { [2, 3, 7, 7], [4, 3, 3, 3], 1, 1, 1, 1 },
        { [3, 4, 9, 8], [6, 2, 3, 3], 2, 1, 1, 2 },
        { [2, 3, 10, 11], [5, 3, 3, 2], 1, 2, 2, 1 },
        { [5, 6, 7, 7], [6, 1, 3, 3], 2, 0, 1, 6 },
        { [9, 4, 5, 5], [8, 4, 1, 1], 1, 0, 1, 1 },
        { [1, 2, 4, 4], [3, 2, 4, 4], 1, 0, 1, 1 },
        { [2, 2, 6, 5], [2, 2, 3, 3], 3, 1, 1, 1 },
        { [6, 4, 5, 7], [4, 2, 2, 3], 2, 2, 2, 2 },
    };

    [Theory]
    [MemberData(nameof(Geometries))]
    public void Forward_matches_the_naive_reference(int[] xs, int[] ws, int stride, int pad, int dilation, int groups)
    {
        var x = TestValues.Uniform(TestValues.Count(xs), seed: 1);
        var w = TestValues.Uniform(TestValues.Count(ws), seed: 2);
        var actual = OpRunner.RunF64([xs, ws], [x, w], (b, i) => b.Conv2dRaw(i[0], i[1], stride, pad, dilation, groups));
        var expected = NaiveReference.Conv2d(x, xs, w, ws, stride, pad, dilation, groups);
        BatchNormTests.AssertClose(expected, actual, 1e-12);
    }

    [Theory]
    [MemberData(nameof(Geometries))]
    public void Gradients_of_input_and_filter_match_central_differences(int[] xs, int[] ws, int stride, int pad, int dilation, int groups)
    {
        double[][] values = [TestValues.Uniform(TestValues.Count(xs), seed: 3), TestValues.Uniform(TestValues.Count(ws), seed: 4)];
        GradientChecker.Check(GradientProblem.Of("conv2d", [xs, ws], values, (b, i) => b.Conv2dRaw(i[0], i[1], stride, pad, dilation, groups)));
    }

    [Theory]
    [InlineData(1, 1, 1, 1)]
    [InlineData(2, 1, 2, 2)]
    public void The_backward_ops_have_exact_gradients_of_their_own(int stride, int pad, int dilation, int groups)
    {
        int[] xs = [2, 4, 7, 6], ws = [4, 4 / groups, 3, 2];
        var b0 = new GraphBuilder(DType.F64);
        var ys = b0.Conv2dRaw(b0.Input("x", DType.F64, xs), b0.Input("w", DType.F64, ws), stride, pad, dilation, groups).Shape.ToArray();
        var x = TestValues.Uniform(TestValues.Count(xs), seed: 5);
        var w = TestValues.Uniform(TestValues.Count(ws), seed: 6);
        var dy = TestValues.Uniform(TestValues.Count(ys), seed: 7);
        GradientChecker.Check(GradientProblem.Of("conv2d_backward_data", [ys, ws], [dy, w],
            (b, i) => b.Conv2dBackwardData(i[0], i[1], new Shape(xs), stride, pad, dilation, groups)));
        GradientChecker.Check(GradientProblem.Of("conv2d_backward_filter", [xs, ys], [x, dy],
            (b, i) => b.Conv2dBackwardFilter(i[0], i[1], new Shape(ws), stride, pad, dilation, groups)));
    }

    [Fact]
    public void Forward_and_both_gradients_are_bitwise_identical_with_one_and_two_threads()
    {
        // 9 images: three chunks, the last one partial, so the filter gradient adds partials.
        int[] xs = [9, 8, 12, 12], ws = [16, 8, 3, 3], ys = [9, 16, 12, 12];
        double[][] values =
        [
            TestValues.Uniform(TestValues.Count(xs), seed: 8),
            TestValues.Uniform(TestValues.Count(ws), seed: 9),
            TestValues.Uniform(TestValues.Count(ys), seed: 10),
        ];
        Node[] Build(GraphBuilder b, Node[] i)
        {
            var y = b.Conv2dRaw(i[0], i[1], padding: 1);
            var grads = Autodiff.Gradients(b.SumAll(b.Mul(y, i[2])), [i[0], i[1]]);
            return [y, grads[i[0]], grads[i[1]]];
        }
        var one = OpRunner.RunF32([xs, ws, ys], values, Build, threads: 1);
        var two = OpRunner.RunF32([xs, ws, ys], values, Build, threads: 2);
        Bitwise.AssertIdentical(one, two);

        var reference = NaiveReference.Conv2d(
            TestValues.ToSingle(values[0]).Select(v => (double)v).ToArray(), xs,
            TestValues.ToSingle(values[1]).Select(v => (double)v).ToArray(), ws, 1, 1, 1, 1);
        BatchNormTests.AssertClose(reference, one[0].Select(v => (double)v).ToArray(), 1e-5);
    }

    [Fact]
    public void The_listing_shows_stride_and_padding_and_dilation_and_groups_when_used()
    {
        var b = new GraphBuilder();
        var x = b.Input("x", DType.F32, 2, 4, 8, 8);
        Assert.EndsWith("conv2d(%0, %1) stride=1 pad=1 : f32[2,8,8,8]", GraphPrinter.Line(b.Conv2dRaw(x, b.Input("w", DType.F32, 8, 4, 3, 3), padding: 1)));
        Assert.EndsWith("stride=2 pad=0 dilation=2 groups=4 : f32[2,8,2,2]", GraphPrinter.Line(b.Conv2dRaw(x, b.Input("w2", DType.F32, 8, 1, 3, 3), 2, 0, 2, 4)));
    }

    [Fact]
    public void Filter_channels_that_do_not_match_the_input_fail_when_built()
    {
        var b = new GraphBuilder();
        var x = b.Input("x", DType.F32, 2, 3, 8, 8);
        var w = b.Input("w", DType.F32, 4, 5, 3, 3);
        var e = Assert.Throws<GraphBuildException>(() => b.Conv2dRaw(x, w));
        AssertNames(e, "conv2d", "f32[2,3,8,8]", "f32[4,5,3,3]", "the filter expects 5 input channels");
    }

    [Fact]
    public void Channels_not_divisible_by_groups_fail_when_built()
    {
        var b = new GraphBuilder();
        var x = b.Input("x", DType.F32, 2, 6, 8, 8);
        var e = Assert.Throws<GraphBuildException>(() => b.Conv2dRaw(x, b.Input("w", DType.F32, 4, 1, 3, 3), groups: 4));
        AssertNames(e, "conv2d", "groups=4", "f32[2,6,8,8]", "6 channels are not divisible by groups=4");
        e = Assert.Throws<GraphBuildException>(() => b.Conv2dRaw(x, b.Input("w2", DType.F32, 5, 2, 3, 3), groups: 3));
        AssertNames(e, "5 output channels are not divisible by groups=3");
        e = Assert.Throws<GraphBuildException>(() => b.Conv2dRaw(x, b.Input("w3", DType.F32, 6, 3, 3, 3), groups: 3));
        AssertNames(e, "3 input channels per group", "in 3 groups give 2");
    }

    [Fact]
    public void A_kernel_larger_than_the_padded_input_fails_when_built()
    {
        var b = new GraphBuilder();
        var x = b.Input("x", DType.F32, 1, 2, 4, 4);
        var e = Assert.Throws<GraphBuildException>(() => b.Conv2dRaw(x, b.Input("w", DType.F32, 2, 2, 5, 5)));
        AssertNames(e, "conv2d", "f32[1,2,4,4]", "f32[2,2,5,5]", "kernel 5x5 is larger than the padded input 4x4");
        e = Assert.Throws<GraphBuildException>(() => b.Conv2dRaw(x, b.Input("w2", DType.F32, 2, 2, 3, 3), dilation: 3));
        AssertNames(e, "dilated to 7x7", "larger than the padded input 4x4");
    }

    [Fact]
    public void Wrong_ranks_dtypes_and_attributes_fail_when_built()
    {
        var b = new GraphBuilder();
        var x = b.Input("x", DType.F32, 2, 3, 8, 8);
        var w = b.Input("w", DType.F32, 4, 3, 3, 3);
        AssertNames(Assert.Throws<GraphBuildException>(() => b.Conv2dRaw(b.Input("v", DType.F32, 3, 8, 8), w)), "f32[3,8,8]", "rank 4");
        AssertNames(Assert.Throws<GraphBuildException>(() => b.Conv2dRaw(x, b.Input("w64", DType.F64, 4, 3, 3, 3))), "f64[4,3,3,3]", "same dtype");
        AssertNames(Assert.Throws<GraphBuildException>(() => b.Conv2dRaw(x, w, stride: 0)), "stride >= 1");
        AssertNames(Assert.Throws<GraphBuildException>(() => b.Conv2dRaw(x, w, padding: -1)), "padding >= 0");
        AssertNames(Assert.Throws<GraphBuildException>(() => b.Conv2dRaw(x, w, dilation: 0)), "dilation >= 1");
        AssertNames(Assert.Throws<GraphBuildException>(() => b.Conv2dRaw(x, w, groups: 0)), "groups >= 1");
    }

    [Fact]
    public void Backward_ops_given_a_gradient_of_the_wrong_shape_fail_when_built()
    {
        var b = new GraphBuilder();
        var x = b.Input("x", DType.F32, 2, 3, 8, 8);
        var w = b.Input("w", DType.F32, 4, 3, 3, 3);
        var dy = b.Input("dy", DType.F32, 2, 4, 8, 8);
        var e = Assert.Throws<GraphBuildException>(() => b.Conv2dBackwardData(dy, w, new Shape(2, 3, 8, 8)));
        AssertNames(e, "conv2d_backward_data", "f32[2,4,8,8]", "expected the output gradient to have shape [2,4,6,6]");
        e = Assert.Throws<GraphBuildException>(() => b.Conv2dBackwardFilter(x, dy, new Shape(4, 3, 3, 3), padding: 2));
        AssertNames(e, "conv2d_backward_filter", "f32[2,3,8,8]", "shape [2,4,10,10]");
        Assert.Equal(new Shape(4, 3, 3, 3), b.Conv2dBackwardFilter(x, dy, new Shape(4, 3, 3, 3), padding: 1).Shape);
        Assert.Equal(new Shape(2, 3, 8, 8), b.Conv2dBackwardData(dy, w, new Shape(2, 3, 8, 8), padding: 1).Shape);
    }

    [Fact]
    public void A_strided_gradient_keeps_the_input_size_that_the_stride_dropped()
    {
        // 8x8 and 9x9 inputs both give 4x4 outputs with kernel 2, stride 2: the gradient must be 9x9.
        var b = new GraphBuilder(DType.F64);
        var x = b.Input("x", DType.F64, 1, 1, 9, 9);
        var w = b.Input("w", DType.F64, 1, 1, 2, 2);
        var grads = Autodiff.Gradients(b.SumAll(b.Conv2dRaw(x, w, stride: 2)), [x]);
        Assert.Equal(x.Shape, grads[x].Shape);
    }

    internal static void AssertNames(Exception e, params string[] parts)
    {
        foreach (var part in parts) Assert.Contains(part, e.Message);
    }
}
