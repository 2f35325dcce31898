using StaticGraph.Onnx.Export;

namespace StaticGraph.Onnx.Ops;

/// <summary>softmax / log_softmax over the last axis → Softmax / LogSoftmax with axis -1 (opset 13+ normalises along one axis, as we do).</summary>
[OnnxExportFor(typeof(SoftmaxOp))]
internal sealed class SoftmaxExport : IOnnxOpExport
{
    public void Export(ExportContext cx, Node node)
    {
        var op = (SoftmaxOp)node.Op;
        var y = cx.ResultName(node);
        cx.Emit(node, op.Function == SoftmaxFunction.Softmax ? "Softmax" : "LogSoftmax", [cx.NameOf(node.Inputs[0])], y, OnnxAttributes.Int("axis", -1));
        cx.Define(node, y, BatchAxis.Leading(cx, node));
    }
}
