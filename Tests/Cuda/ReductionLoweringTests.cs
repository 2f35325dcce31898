using StaticGraph.Cuda.Lowering;
using StaticGraph.Ops;
using Xunit;

namespace StaticGraph.Tests.Cuda;

/// <summary>
/// Reductions lowered to one-thread-per-output kernels: long ones take two passes through fixed chunks. Their results
/// against the CPU (every axis set, NaN and ties, softmax, one-hot, their gradients in a step) are the conformance kit's.
/// </summary>
public class ReductionLoweringTests
{
    [Theory]
    [InlineData(DType.F32)]
    [InlineData(DType.F64)]
    public void Long_reductions_take_two_passes_through_fixed_chunks(DType dtype)
    {
        var b = new GraphBuilder(dtype);
        var rows = b.Input("rows", dtype, 2, 5000);
        var columns = b.Input("columns", dtype, 4500, 3);
        var plan = CudaPlanner.Plan(GraphProgram.Inference(b.Sum(rows, [1]), b.Mean(rows, [1]), b.ReduceMax(rows, [1]), b.Mean(columns, [0], keepDims: true)));
        // Each reduction: partials over chunks, then the combining pass.
        Assert.Equal(8, plan.Commands.OfType<LaunchCommand>().Count(c => c.Kernel.Name.StartsWith("sg_reduce_", StringComparison.Ordinal)));
    }

    internal static Array Typed(DType dtype, double[] values) => dtype == DType.F32 ? values.Select(v => (float)v).ToArray() : values;
}
