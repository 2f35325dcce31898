using StaticGraph.Onnx.Export;

namespace StaticGraph.Onnx.Ops;

/// <summary>cast → Cast to the target's ONNX element type.</summary>
[OnnxExportFor(typeof(CastOp))]
internal sealed class CastExport : IOnnxOpExport
{
    public void Export(ExportContext cx, Node node)
    {
        var y = cx.ResultName(node);
        cx.Emit(node, "Cast", [cx.NameOf(node.Inputs[0])], y, OnnxAttributes.Int("to", OnnxTypes.ElementType(((CastOp)node.Op).Target)));
        cx.Define(node, y, BatchAxis.Leading(cx, node));
    }
}
