using StaticGraph.Cuda.Lowering;
using StaticGraph.Ops;
using StaticGraph.Tests.Cuda.Emulation;
using Xunit;

namespace StaticGraph.Tests.Cuda;

/// <summary>
/// Shape ops: one shared strided-copy kernel for slice, pad, concat and transpose, and scatter-add's exact sums in index
/// order. Their results against the CPU (float and i32, the row and image movers, their gradients in a step) are the
/// conformance kit's op and step cases.
/// </summary>
public class ShapeLoweringTests
{
    private static Array Values(DType dtype, int count, int seed)
    {
        var v = Enumerable.Range(0, count).Select(i => Math.Sin(i * 1.3 + seed) * 4).ToArray();
        return dtype switch
        {
            DType.F32 => v.Select(x => (float)x).ToArray(),
            DType.I32 => v.Select(x => (int)Math.Round(x * 100)).ToArray(),
            _ => v,
        };
    }

    [Theory]
    [InlineData(DType.F32)]
    [InlineData(DType.F64)]
    [InlineData(DType.I32)]
    public void Slice_pad_concat_and_transpose_share_the_strided_copy_kernel(DType dtype)
    {
        var b = new GraphBuilder(dtype == DType.I32 ? DType.F32 : dtype);
        var x = b.Input("x", dtype, 2, 3, 5, 4);
        var z = b.Input("z", dtype, 2, 1, 5, 4);
        var v = b.Input("v", dtype, 7);
        var fetches = new[]
        {
            b.Slice(x, [1, 0, 1, 2], [2, 3, 4, 3]),
            b.Slice(v, 0, 2, 6),
            b.Pad(x, [0, 1, 2, 0], [1, 0, 1, 3], 3),
            b.Pad(v, 0, 2, 1),
            b.Concat(1, x, z, x),
            b.Concat(0, x, x),
            b.Concat(-1, x, b.Slice(x, 3, 0, 1)),
            b.Transpose(x, 0, 2, 3, 1),
            b.Transpose(x, 3, 1, 0, 2),
            b.Transpose(b.Reshape(x, 6, 20), 1, 0),
        };
        var plan = CudaPlanner.Plan(GraphProgram.Inference(fetches));
        Assert.All(plan.Kernels, k => Assert.StartsWith("sg_strided_copy_", k.Name));
    }

    [Theory]
    [InlineData(DType.F32)]
    [InlineData(DType.F64)]
    public void Scatter_add_rows_sums_repeated_indices_in_order_and_zeroes_unnamed_rows(DType dtype)
    {
        var b = new GraphBuilder(dtype);
        var values = b.Input("values", dtype, 6, 5);
        var idx = b.Input("idx", DType.I32, 6);
        var plan = EmulatorParity.AssertMatchesCpu(GraphProgram.Inference(b.ScatterAddRows(values, idx, 5)),
            new Dictionary<string, Array> { ["values"] = Values(dtype, 30, 1), ["idx"] = new[] { 3, 0, 3, 4, 3, 0 } }, f32Tolerance: 0, f64Tolerance: 0);
        Assert.Single(plan.Kernels);
    }
}
