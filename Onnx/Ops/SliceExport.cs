using StaticGraph.Onnx.Export;

namespace StaticGraph.Onnx.Ops;

/// <summary>
/// slice → Slice over the non-batch axes. On the batch axis a whole-range slice is left out, and a slice
/// whose bounds are multiples of B (the first view of Dual-Cutout's stacked batch) becomes Split into k
/// equal parts and the chosen parts, which is right for any N. Other batch-axis slices are refused.
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

    private static string TakeBatchParts(ExportContext cx, Node node, string source, int parts, int from, int to)
    {
        var names = Enumerable.Range(0, parts).Select(i => cx.TempName(node, $"part{i}")).ToArray();
        cx.Emit(node, "Split", [source], names, OnnxAttributes.Int("axis", 0), OnnxAttributes.Int("num_outputs", parts));
        if (to - from == 1) return names[from];
        var joined = cx.TempName(node, "parts");
        cx.Emit(node, "Concat", names[from..to], joined, OnnxAttributes.Int("axis", 0));
        return joined;
    }
}
