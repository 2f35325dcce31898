using static StaticGraph.Conformance.Ops.CaseHelpers;

namespace StaticGraph.Conformance.Ops;

/// <summary>Broadcast, transpose, concat, slice, pad (one shared strided copy on CUDA), the row movers and translate, in float and i32.</summary>
internal static class ShapeCases
{
    /// <summary>Every case of the family.</summary>
    public static IEnumerable<OpCase> All()
    {
        yield return Case<BroadcastToOp>("broadcast_to", [In("x", [4, 1])], (b, x) => b.Apply(new BroadcastToOp(new Shape(2, 4, 3)), x[0]));
        yield return Case<TransposeOp>("transpose/nchw-to-nhwc", [In("x", [2, 3, 5, 4])], (b, x) => b.Transpose(x[0], 0, 2, 3, 1));
        yield return Case<TransposeOp>("transpose/scrambled", [In("x", [2, 3, 5, 4])], (b, x) => b.Transpose(x[0], 3, 1, 0, 2));
        yield return Case<TransposeOp>("transpose/matrix", [In("x", [6, 20])], (b, x) => b.Transpose(x[0], 1, 0));
        yield return Case<ConcatOp>("concat/channels", [In("x", [2, 3, 5, 4]), In("z", [2, 1, 5, 4])], (b, x) => b.Concat(1, x[0], x[1], x[0]));
        yield return Case<ConcatOp>("concat/batch", [In("x", [2, 3, 5, 4])], (b, x) => b.Concat(0, x[0], x[0]));
        yield return Case<ConcatOp>("concat/last-axis-negative", [In("x", [2, 3, 5, 4])], (b, x) => b.Concat(-1, x[0], b.Slice(x[0], 3, 0, 1)));
        yield return Case<SliceOp>("slice/4d", [In("x", [2, 3, 5, 4])], (b, x) => b.Slice(x[0], [1, 0, 1, 2], [2, 3, 4, 3]));
        yield return Case<SliceOp>("slice/vector", [In("v", [7])], (b, x) => b.Slice(x[0], 0, 2, 6));
        yield return Case<PadOp>("pad/4d", [In("x", [2, 3, 5, 4])], (b, x) => b.Pad(x[0], [0, 1, 2, 0], [1, 0, 1, 3], 3));
        yield return Case<PadOp>("pad/vector", [In("v", [7])], (b, x) => b.Pad(x[0], 0, 2, 1, -0.5));
        yield return Cases<SliceOp>("strided-copies/i32", [CaseInput.Ints("x", [2, 3, 5, 4], Values.Integers(1000)), CaseInput.Ints("z", [2, 1, 5, 4], Values.Integers(1000))],
            (b, x) => [b.Slice(x[0], [1, 0, 1, 2], [2, 3, 4, 3]), b.Pad(x[0], [0, 1, 2, 0], [1, 0, 1, 3], 3), b.Concat(1, x[0], x[1]), b.Transpose(x[0], 3, 1, 0, 2)]);
        yield return Case<GatherRowsOp>("gather_rows/repeated-rows", [In("x", [4, 3, 2]), CaseInput.Ints("idx", [6], Values.Fixed(3, 0, 0, 2, 3, 1))],
            (b, x) => b.GatherRows(x[0], x[1]));
        yield return Case<GatherRowsOp>("gather_rows/i32", [CaseInput.Ints("x", [4, 3, 2], Values.Integers(1000)), CaseInput.Ints("idx", [6], Values.Fixed(3, 0, 0, 2, 3, 1))],
            (b, x) => b.GatherRows(x[0], x[1]));
        yield return Case<ScatterAddRowsOp>("scatter_add_rows", [In("values", [6, 5]), CaseInput.Ints("idx", [6], Values.Fixed(3, 0, 3, 4, 3, 0))],
            (b, x) => b.ScatterAddRows(x[0], x[1], 5));
        yield return Cases<TranslateOp>("translate", [In("x", [4, 2, 5, 6]), CaseInput.Ints("per_image", [4, 2], Values.Fixed(1, -2, -3, 4, 0, 0, 5, 7)),
            CaseInput.Ints("shared", [1, 2], Values.Fixed(-2, 1))],
            (b, x) => [b.Translate(x[0], x[1]), b.Translate(b.Reshape(x[0], 4, 10, 6), x[2])]);
        yield return Case<TranslateOp>("translate/inverse", [In("x", [4, 2, 5, 6]), CaseInput.Ints("per_image", [4, 2], Values.Fixed(1, -2, -3, 4, 0, 0, 5, 7))],
            (b, x) => b.Apply(new TranslateOp(inverse: true), x[0], x[1]));
        yield return Case<TranslateOp>("translate/i32", [CaseInput.Ints("x", [4, 2, 5, 6], Values.Integers(1000)), CaseInput.Ints("per_image", [4, 2], Values.Fixed(1, -2, -3, 4, 0, 0, 5, 7))],
            (b, x) => b.Translate(x[0], x[1]));
    }
}
