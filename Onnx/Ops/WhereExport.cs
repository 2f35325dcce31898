using StaticGraph.Onnx.Export;

namespace StaticGraph.Onnx.Ops;

/// <summary>where(mask, a, b) → Where(Cast(mask, bool), a, b): our masks are 0/1 floats, ONNX's are booleans (non-zero is true in both).</summary>
[OnnxExportFor(typeof(WhereOp))]
internal sealed class WhereExport : IOnnxOpExport
{
    public void Export(ExportContext cx, Node node)
    {
        var factor = BatchAxis.Elementwise(cx, node);
        var condition = cx.TempName(node, "condition");
        cx.Emit(node, "Cast", [cx.NameOf(node.Inputs[0])], condition, OnnxAttributes.Int("to", (int)TensorProto.Types.DataType.Bool));
        var y = cx.ResultName(node);
        cx.Emit(node, "Where", [condition, cx.NameOf(node.Inputs[1]), cx.NameOf(node.Inputs[2])], y);
        cx.Define(node, y, factor);
    }
}
