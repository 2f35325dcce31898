using StaticGraph.Onnx.Export;

namespace StaticGraph.Onnx.Ops;

/// <summary>
/// slice → Slice over the non-batch axes. On the batch axis a whole-range slice is left out, and a slice
/// whose bounds are multiples of B (the first view of Dual-Cutout's stacked batch) becomes a Slice of the
/// chosen parts of k equal parts, with bounds computed from the runtime row count, which is right for any N.
/// Other batch-axis slices are refused.
/// </summary>
[OnnxExportFor(typeof(SliceOp))]
internal sealed class SliceExport : IOnnxOpExport
{
    public void Export(ExportContext cx, Node node)
    {
        var op = (SliceOp)node.Op;
        var x = node.Inputs[0];
        var source = cx.NameOf(x);
        var factor = cx.FactorOf(x);
        var first = factor is null ? 0 : 1;
        if (factor is { } k && (op.Starts[0] != 0 || op.Ends[0] != x.Shape[0]))
        {
            var b = cx.BatchSize;
            if (op.Starts[0] % b != 0 || op.Ends[0] % b != 0)
                throw OnnxExportException.For(node, $"slices rows {op.Starts[0]}:{op.Ends[0]} of a batch axis of {k}x{b}, not whole multiples of the batch");
            source = TakeBatchParts(cx, node, source, k, op.Starts[0] / b, op.Ends[0] / b);
            factor = (op.Ends[0] - op.Starts[0]) / b;
        }
        var axes = Enumerable.Range(first, x.Shape.Rank - first).Where(a => op.Starts[a] != 0 || op.Ends[a] != x.Shape[a]).ToArray();
        var y = cx.ResultName(node);
        if (axes.Length == 0)
        {
            cx.Emit(node, "Identity", [source], y);
        }
        else
        {
            cx.Emit(node, "Slice",
                [source, cx.Int64s(node, "starts", [.. axes.Select(a => (long)op.Starts[a])]),
                 cx.Int64s(node, "ends", [.. axes.Select(a => (long)op.Ends[a])]), cx.Int64s(node, "axes", [.. axes.Select(a => (long)a)])], y);
        }
        cx.Define(node, y, factor);
    }

    /// <summary>
    /// Parts <c>[from, to)</c> of <paramref name="source"/>'s batch axis cut into <paramref name="parts"/> equal parts, for
    /// any runtime batch: one Slice whose bounds are computed from the tensor's own row count (Shape, then Div and Mul).
    /// Split would need opset 18's num_outputs for a symbolic batch, which checkers of earlier opsets refuse.
    /// </summary>
    private static string TakeBatchParts(ExportContext cx, Node node, string source, int parts, int from, int to)
    {
        var rows = cx.TempName(node, "rows");
        cx.Emit(node, "Shape", [source], rows, OnnxAttributes.Int("start", 0), OnnxAttributes.Int("end", 1));
        var part = cx.TempName(node, "part_rows");
        cx.Emit(node, "Div", [rows, cx.Int64s(node, "part_count", parts)], part);
        var (starts, ends) = (cx.TempName(node, "part_starts"), cx.TempName(node, "part_ends"));
        cx.Emit(node, "Mul", [part, cx.Int64s(node, "first_part", from)], starts);
        cx.Emit(node, "Mul", [part, cx.Int64s(node, "end_part", to)], ends);
        var taken = cx.TempName(node, "batch_parts");
        cx.Emit(node, "Slice", [source, starts, ends, cx.Int64s(node, "batch_axis", 0)], taken);
        return taken;
    }
}
