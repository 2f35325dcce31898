using StaticGraph.Cuda.Lowering;
using StaticGraph.Ops;
using StaticGraph.Tests.Cuda.Emulation;
using Xunit;

namespace StaticGraph.Tests.Cuda;

/// <summary>Reductions, softmax and one-hot lowered to one-thread-per-output kernels: CPU semantics on the emulator.</summary>
public class ReductionLoweringTests
{
    public static TheoryData<DType, int[], bool> AxisSets()
    {
        var data = new TheoryData<DType, int[], bool>();
        foreach (var dtype in new[] { DType.F32, DType.F64 })
        {
            data.Add(dtype, [1], false);
            data.Add(dtype, [0, 2], false);
            data.Add(dtype, [-1], true);
            data.Add(dtype, [1, 3], true);
            data.Add(dtype, [0, 1, 2, 3], false);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(AxisSets))]
    public void Sum_mean_and_max_over_any_axes_match_the_CPU(DType dtype, int[] axes, bool keepDims)
    {
        var b = new GraphBuilder(dtype);
        var x = b.Input("x", dtype, 3, 4, 5, 6);
        var program = GraphProgram.Inference(b.Sum(x, axes, keepDims), b.Mean(x, axes, keepDims), b.ReduceMax(x, axes, keepDims));
        EmulatorParity.AssertMatchesCpu(program, ElementwiseLoweringTests.Feeds(dtype, ("x", 360)));
    }

    [Theory]
    [InlineData(DType.F32)]
    [InlineData(DType.F64)]
    public void Long_reductions_take_two_passes_through_fixed_chunks(DType dtype)
    {
        var b = new GraphBuilder(dtype);
        var rows = b.Input("rows", dtype, 2, 5000);
        var columns = b.Input("columns", dtype, 4500, 3);
        var program = GraphProgram.Inference(b.Sum(rows, [1]), b.Mean(rows, [1]), b.ReduceMax(rows, [1]), b.Mean(columns, [0], keepDims: true));
        var plan = EmulatorParity.AssertMatchesCpu(program, ElementwiseLoweringTests.Feeds(dtype, ("rows", 10000), ("columns", 13500)));
        // Each reduction: partials over chunks, then the combining pass.
        Assert.Equal(8, plan.Commands.OfType<LaunchCommand>().Count(c => c.Kernel.Name.StartsWith("sg_reduce_", StringComparison.Ordinal)));
    }

    [Theory]
    [InlineData(DType.F32)]
    [InlineData(DType.F64)]
    public void Max_propagates_NaN_and_handles_ties_zeros_and_extremes(DType dtype)
    {
        var b = new GraphBuilder(dtype);
        var x = b.Input("x", dtype, 5, 4);
        var program = GraphProgram.Inference(b.ReduceMax(x, [1]), b.ReduceMax(x, [0]));
        // (No infinities: the parity comparison takes their difference.)
        double[] values =
        [
            -0.0, 0.0, -1, -2,
            3, double.NaN, 7, 1,
            2, 2, 2, 2,
            -3e38, -3e38, -3e38, -3e38,
            0.0, -0.0, -0.0, -0.0,
        ];
        EmulatorParity.AssertMatchesCpu(program, new Dictionary<string, Array> { ["x"] = Typed(dtype, values) });
    }

    [Theory]
    [InlineData(DType.F32)]
    [InlineData(DType.F64)]
    public void Softmax_and_log_softmax_of_large_logits_match_the_CPU(DType dtype)
    {
        var b = new GraphBuilder(dtype);
        var rows = b.Input("rows", dtype, 7, 13);
        var cube = b.Input("cube", dtype, 2, 3, 1);
        var big = b.Scale(rows, 40);
        var program = GraphProgram.Inference(b.Softmax(rows), b.LogSoftmax(rows), b.Softmax(big), b.LogSoftmax(big), b.Softmax(cube), b.LogSoftmax(cube));
        EmulatorParity.AssertMatchesCpu(program, ElementwiseLoweringTests.Feeds(dtype, ("rows", 91), ("cube", 6)));
    }

    [Theory]
    [InlineData(DType.F32)]
    [InlineData(DType.F64)]
    public void One_hot_rows_match_the_CPU(DType dtype)
    {
        var b = new GraphBuilder(dtype);
        var labels = b.Input("labels", DType.I32, 6);
        var program = GraphProgram.Inference(b.OneHot(labels, 5, dtype));
        EmulatorParity.AssertMatchesCpu(program, new Dictionary<string, Array> { ["labels"] = new[] { 0, 4, 2, 2, 1, 3 } });
    }

    [Theory]
    [InlineData(DType.F32)]
    [InlineData(DType.F64)]
    public void Reductions_and_softmax_train_through_their_gradients(DType dtype)
    {
        var b = new GraphBuilder(dtype);
        var x = b.Input("x", dtype, 4, 6);
        var w = b.Parameter("w", Initializer.Constant(0.5), [4, 6]);
        var h = b.Mul(x, w);
        var loss = b.Add(b.MeanAll(b.Mul(b.Softmax(h), h)), b.Add(b.SumAll(b.LogSoftmax(h)), b.SumAll(b.ReduceMax(h, [1]))));
        var program = Autodiff.Train(loss, Sgd.WithMomentum(0.9, 1e-3), Schedule.Constant(0.05));
        EmulatorParity.AssertMatchesCpu(program, ElementwiseLoweringTests.Feeds(dtype, ("x", 24)), runs: 3);
    }

    internal static Array Typed(DType dtype, double[] values) => dtype == DType.F32 ? values.Select(v => (float)v).ToArray() : values;
}
