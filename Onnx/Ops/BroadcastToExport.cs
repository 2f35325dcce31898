using StaticGraph.Onnx.Export;

namespace StaticGraph.Onnx.Ops;

/// <summary>
/// broadcast_to → Expand. Expand broadcasts its input against the given shape, so a batch input keeps N
/// when the shape says 1 on axis 0; a batch-free value is expanded to the shape as built.
/// </summary>
[OnnxExportFor(typeof(BroadcastToOp))]
internal sealed class BroadcastToExport : IOnnxOpExport
{
    public void Export(ExportContext cx, Node node)
    {
        var x = node.Inputs[0];
        long[] shape = [.. node.Shape.Select(d => (long)d)];
        var factor = cx.FactorOf(x);
        if (factor is not null)
        {
            if (x.Shape.Rank != node.Shape.Rank)
                throw OnnxExportException.For(node, "broadcasting moves the batch axis off axis 0");
            shape[0] = 1;
        }
        var y = cx.ResultName(node);
        cx.Emit(node, "Expand", [cx.NameOf(x), cx.Int64s(node, "shape", shape)], y);
        cx.Define(node, y, factor);
    }
}
