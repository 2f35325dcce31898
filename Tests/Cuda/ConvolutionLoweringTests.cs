using StaticGraph.Cuda.Lowering;
using StaticGraph.Ops;
using StaticGraph.Tests.Cuda.Emulation;
using Xunit;

namespace StaticGraph.Tests.Cuda;

/// <summary>Convolutions lowered to one cuDNN call each, checked on the emulator's reference convolution against the CPU.</summary>
public class ConvolutionLoweringTests
{
    /// <summary>Input [n,c,h,w], filter [k, c/groups, r, s], stride, padding, dilation, groups.</summary>
    public static TheoryData<DType, int[], int[], int, int, int, int> Geometries()
    {
        var data = new TheoryData<DType, int[], int[], int, int, int, int>();
        foreach (var t in new[] { DType.F32, DType.F64 })
        {
            data.Add(t, [2, 3, 7, 6], [4, 3, 3, 3], 1, 1, 1, 1);
            data.Add(t, [2, 4, 9, 7], [6, 2, 3, 3], 2, 0, 1, 2);
            data.Add(t, [1, 2, 8, 9], [3, 2, 3, 3], 1, 1, 2, 1);
            data.Add(t, [2, 4, 7, 7], [4, 1, 3, 3], 2, 1, 1, 4);
            data.Add(t, [1, 3, 5, 7], [2, 3, 2, 3], 2, 1, 1, 1);
            data.Add(t, [2, 6, 5, 5], [4, 3, 1, 1], 1, 0, 1, 2);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Geometries))]
    public void Forward_backward_data_and_backward_filter_match_the_cpu(DType dtype, int[] input, int[] filter, int stride, int padding, int dilation, int groups)
    {
        var b = new GraphBuilder(dtype);
        var x = b.Input("x", dtype, input);
        var w = b.Input("w", dtype, filter);
        var y = b.Conv2dRaw(x, w, stride, padding, dilation, groups);
        var dy = b.Input("dy", dtype, [.. y.Shape]);
        var dx = b.Conv2dBackwardData(dy, w, x.Shape, stride, padding, dilation, groups);
        var dw = b.Conv2dBackwardFilter(x, dy, w.Shape, stride, padding, dilation, groups);
        var plan = EmulatorParity.AssertMatchesCpu(GraphProgram.Inference(y, dx, dw),
            ElementwiseLoweringTests.Feeds(dtype, ("x", (int)x.Shape.ElementCount), ("w", (int)w.Shape.ElementCount), ("dy", (int)dy.Shape.ElementCount)));
        var convs = plan.Commands.OfType<ConvolutionCommand>().ToList();
        Assert.Equal(3, convs.Count);
        Assert.Empty(plan.Commands.OfType<LaunchCommand>());
        Assert.All(convs, c => Assert.Equal(groups, c.Geometry.Groups));
        Assert.All(convs, c => Assert.Equal(input, c.Geometry.InputDims));
        Assert.All(convs, c => Assert.Equal(filter[..2], c.Geometry.FilterDims[..2]));
    }

    [Theory]
    [InlineData(DType.F32)]
    [InlineData(DType.F64)]
    public void A_small_cnn_trains_two_steps_like_the_cpu(DType dtype)
    {
        var b = new GraphBuilder(dtype);
        var x = b.Input("x", dtype, 2, 2, 8, 8);
        var labels = b.Input("labels", DType.I32, 2);
        var h = b.Relu(b.Conv2d(x, 4, kernel: 3, padding: 1, bias: true, name: "c1"));
        h = b.AvgPool2d(h, 2);
        h = b.Relu(b.Conv2d(h, 6, kernel: 3, stride: 2, padding: 1, groups: 2, name: "c2"));
        h = b.MaxPool2d(h, 2, 1);
        var logits = b.Linear(b.Flatten(b.GlobalAvgPool(h)), 3);
        var loss = b.SoftmaxCrossEntropy(logits, labels);
        var program = Autodiff.Train(loss, new Sgd(Momentum: 0.9, WeightDecay: 1e-3, Nesterov: false), Schedule.Constant(0.1));
        var feeds = ElementwiseLoweringTests.Feeds(dtype, ("x", 256));
        feeds["labels"] = new[] { 2, 0 };
        EmulatorParity.AssertMatchesCpu(program, feeds, runs: 2, f32Tolerance: 2e-4);
    }
}
