using StaticGraph.Cuda.Lowering;
using StaticGraph.Ops;
using StaticGraph.Tests.Cuda.Emulation;
using Xunit;

namespace StaticGraph.Tests.Cuda;

/// <summary>Shape ops (one shared strided-copy kernel for slice, pad, concat, transpose) and the row and image movers.</summary>
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
    public void Slice_pad_concat_and_transpose_match_the_cpu(DType dtype)
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
        var plan = EmulatorParity.AssertMatchesCpu(GraphProgram.Inference(fetches),
            new Dictionary<string, Array> { ["x"] = Values(dtype, 120, 1), ["z"] = Values(dtype, 40, 2), ["v"] = Values(dtype, 7, 3) });
        Assert.All(plan.Kernels, k => Assert.StartsWith("sg_strided_copy_", k.Name));
    }

    [Theory]
    [InlineData(DType.F32)]
    [InlineData(DType.F64)]
    [InlineData(DType.I32)]
    public void Gather_rows_copies_the_indexed_rows_in_order(DType dtype)
    {
        var b = new GraphBuilder(DType.F64);
        var x = b.Input("x", dtype, 4, 3, 2);
        var idx = b.Input("idx", DType.I32, 6);
        EmulatorParity.AssertMatchesCpu(GraphProgram.Inference(b.GatherRows(x, idx)),
            new Dictionary<string, Array> { ["x"] = Values(dtype, 24, 1), ["idx"] = new[] { 3, 0, 0, 2, 3, 1 } });
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

    [Theory]
    [InlineData(DType.F32, false)]
    [InlineData(DType.F64, false)]
    [InlineData(DType.I32, false)]
    [InlineData(DType.F64, true)]
    public void Translate_moves_each_image_and_fills_with_zeros(DType dtype, bool inverse)
    {
        var b = new GraphBuilder(DType.F64);
        var x = b.Input("x", dtype, 4, 2, 5, 6);
        var perImage = b.Input("per_image", DType.I32, 4, 2);
        var shared = b.Input("shared", DType.I32, 1, 2);
        var byImage = b.Apply(new TranslateOp(inverse), x, perImage);
        var byBatch = b.Apply(new TranslateOp(inverse), b.Reshape(x, 4, 10, 6), shared);
        EmulatorParity.AssertMatchesCpu(GraphProgram.Inference(byImage, byBatch), new Dictionary<string, Array>
        {
            ["x"] = Values(dtype, 240, 1),
            ["per_image"] = new[] { 1, -2, -3, 4, 0, 0, 5, 7 },
            ["shared"] = new[] { -2, 1 },
        });
    }

    [Theory]
    [InlineData(DType.F32)]
    [InlineData(DType.F64)]
    public void Box_masks_clip_boxes_to_the_image_and_leave_empty_boxes_unmasked(DType dtype)
    {
        var b = new GraphBuilder(dtype);
        var boxes = b.Input("boxes", DType.I32, 5, 4);
        var mask = b.BoxMask(boxes, 6, 7, dtype);
        EmulatorParity.AssertMatchesCpu(GraphProgram.Inference(mask), new Dictionary<string, Array>
        {
            ["boxes"] = new[] { 1, 2, 4, 5, -3, -2, 2, 3, 4, 5, 9, 12, 3, 3, 3, 6, 5, 1, 2, 4 },
        });
    }

    [Theory]
    [InlineData(DType.F32)]
    [InlineData(DType.F64)]
    public void Gradients_through_shape_ops_train_two_steps_like_the_cpu(DType dtype)
    {
        var b = new GraphBuilder(dtype);
        var p = b.Parameter("p", Initializer.Uniform(1), [4, 3, 5, 5], dtype: dtype);
        var idx = b.Input("idx", DType.I32, 5);
        var offsets = b.Input("offsets", DType.I32, 5, 2);
        var weights = b.Input("weights", dtype, 5, 5, 5, 4);
        var h = b.Concat(1, b.Slice(p, 1, 1, 3), b.Pad(b.Slice(p, [0, 0, 1, 1], [4, 3, 4, 5]), [0, 0, 1, 0], [0, 0, 1, 1]));
        h = b.GatherRows(h, idx);
        h = b.Translate(h, offsets);
        h = b.Transpose(h, 0, 2, 3, 1);
        h = b.Slice(h, 3, 1, 5);
        var loss = b.SumAll(b.Mul(b.Square(h), weights));
        var program = Autodiff.Train(loss, new Sgd(Momentum: 0.9, WeightDecay: 0, Nesterov: false), Schedule.Constant(0.01));
        var feeds = ElementwiseLoweringTests.Feeds(dtype, ("weights", 500));
        feeds["idx"] = new[] { 2, 0, 2, 3, 2 };
        feeds["offsets"] = new[] { 1, 0, 0, -1, -2, 2, 0, 0, 3, 1 };
        EmulatorParity.AssertMatchesCpu(program, feeds, runs: 2);
    }
}
