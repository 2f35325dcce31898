using StaticGraph.Ops;
using StaticGraph.Tests.Cuda.Emulation;
using Xunit;

namespace StaticGraph.Tests.Cuda;

/// <summary>Max and average pooling and their gradients (gathers, no atomics) against the CPU, ties and padding included.</summary>
public class PoolingLoweringTests
{
    /// <summary>Input [n,c,h,w], kernel, stride, padding.</summary>
    public static TheoryData<DType, int[], int, int, int> Windows()
    {
        var data = new TheoryData<DType, int[], int, int, int>();
        foreach (var t in new[] { DType.F32, DType.F64 })
        {
            data.Add(t, [2, 3, 8, 8], 2, 2, 0);
            data.Add(t, [2, 2, 9, 7], 3, 2, 1);
            data.Add(t, [1, 3, 7, 6], 3, 1, 1);
            data.Add(t, [2, 2, 7, 9], 2, 3, 1);
            data.Add(t, [1, 2, 5, 5], 5, 1, 2);
            data.Add(t, [3, 1, 4, 6], 1, 2, 0);
        }
        return data;
    }

    /// <summary>Small integers, so most windows hold ties.</summary>
    private static Array Ties(DType dtype, int count, int seed)
    {
        var v = Enumerable.Range(0, count).Select(i => Math.Round(Math.Sin(i * 1.7 + seed) * 2)).ToArray();
        return dtype == DType.F32 ? v.Select(x => (float)x).ToArray() : v;
    }

    private static Array Smooth(DType dtype, int count, int seed) => ElementwiseLoweringTests.Feeds(dtype, (new string('x', seed), count)).Values.Single();

    [Theory]
    [MemberData(nameof(Windows))]
    public void Max_pooling_and_its_gradient_send_each_window_to_its_first_maximum(DType dtype, int[] input, int kernel, int stride, int padding)
    {
        var b = new GraphBuilder(dtype);
        var x = b.Input("x", dtype, input);
        var y = b.MaxPool2d(x, kernel, stride, padding);
        var dy = b.Input("dy", dtype, [.. y.Shape]);
        var dx = b.Apply(new MaxPool2dBackwardOp(kernel, stride, padding), x, dy);
        var feeds = new Dictionary<string, Array>
        {
            ["x"] = Ties(dtype, (int)x.Shape.ElementCount, 1),
            ["dy"] = Smooth(dtype, (int)y.Shape.ElementCount, 3),
        };
        EmulatorParity.AssertMatchesCpu(GraphProgram.Inference(y, dx), feeds);
    }

    [Theory]
    [MemberData(nameof(Windows))]
    public void Average_pooling_and_its_gradient_count_padding_in_the_divisor(DType dtype, int[] input, int kernel, int stride, int padding)
    {
        var b = new GraphBuilder(dtype);
        var x = b.Input("x", dtype, input);
        var y = b.AvgPool2d(x, kernel, stride, padding);
        var dy = b.Input("dy", dtype, [.. y.Shape]);
        var dx = b.Apply(new AvgPool2dBackwardOp(x.Shape, kernel, stride, padding), dy);
        var feeds = new Dictionary<string, Array>
        {
            ["x"] = Smooth(dtype, (int)x.Shape.ElementCount, 1),
            ["dy"] = Smooth(dtype, (int)y.Shape.ElementCount, 3),
        };
        EmulatorParity.AssertMatchesCpu(GraphProgram.Inference(y, dx), feeds);
    }

    [Theory]
    [InlineData(DType.F32)]
    [InlineData(DType.F64)]
    public void A_nan_wins_its_window_and_takes_the_gradient(DType dtype)
    {
        var b = new GraphBuilder(dtype);
        var x = b.Input("x", dtype, 1, 1, 4, 4);
        var y = b.MaxPool2d(x, 2, 1);
        var dy = b.Input("dy", dtype, [.. y.Shape]);
        var dx = b.Apply(new MaxPool2dBackwardOp(2, 1), x, dy);
        double[] values = [1, double.NaN, 3, 3, double.NegativeInfinity, 2, 3, 0, double.NegativeInfinity, double.NegativeInfinity, 5, double.NaN, 1, 1, 1, 1];
        var feeds = new Dictionary<string, Array>
        {
            ["x"] = dtype == DType.F32 ? values.Select(v => (float)v).ToArray() : values,
            ["dy"] = Smooth(dtype, 9, 3),
        };
        EmulatorParity.AssertMatchesCpu(GraphProgram.Inference(y, dx), feeds);
    }
}
