using StaticGraph.Cuda.Lowering;
using StaticGraph.Ops;
using Xunit;

namespace StaticGraph.Tests.Cuda;

/// <summary>
/// Convolutions lowered to one cuDNN call each with the geometry of the op. Their results against the CPU (on the
/// emulator's reference convolution, every geometry, and in a small network's step) are the conformance kit's.
/// </summary>
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
    public void Forward_backward_data_and_backward_filter_are_one_cudnn_call_each(DType dtype, int[] input, int[] filter, int stride, int padding, int dilation, int groups)
    {
        var b = new GraphBuilder(dtype);
        var x = b.Input("x", dtype, input);
        var w = b.Input("w", dtype, filter);
        var y = b.Conv2dRaw(x, w, stride, padding, dilation, groups);
        var dy = b.Input("dy", dtype, [.. y.Shape]);
        var dx = b.Conv2dBackwardData(dy, w, x.Shape, stride, padding, dilation, groups);
        var dw = b.Conv2dBackwardFilter(x, dy, w.Shape, stride, padding, dilation, groups);
        var plan = CudaPlanner.Plan(GraphProgram.Inference(y, dx, dw));
        var convs = plan.Commands.OfType<ConvolutionCommand>().ToList();
        Assert.Equal(3, convs.Count);
        Assert.Empty(plan.Commands.OfType<LaunchCommand>());
        Assert.All(convs, c => Assert.Equal(groups, c.Geometry.Groups));
        Assert.All(convs, c => Assert.Equal(input, c.Geometry.InputDims));
        Assert.All(convs, c => Assert.Equal(filter[..2], c.Geometry.FilterDims[..2]));
    }
}
