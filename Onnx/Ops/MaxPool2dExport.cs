using StaticGraph.Onnx.Export;

namespace StaticGraph.Onnx.Ops;

/// <summary>max_pool2d → MaxPool: padding never wins a maximum in either (ours pads with -infinity).</summary>
[OnnxExportFor(typeof(MaxPool2dOp))]
internal sealed class MaxPool2dExport : IOnnxOpExport
{
    public void Export(ExportContext cx, Node node)
    {
        var op = (MaxPool2dOp)node.Op;
        var (k, s, p) = (op.Kernel, op.Window.Stride, op.Window.Padding);
        var y = cx.ResultName(node);
        cx.Emit(node, "MaxPool", [cx.NameOf(node.Inputs[0])], y,
            OnnxAttributes.Ints("kernel_shape", k, k), OnnxAttributes.Ints("strides", s, s), OnnxAttributes.Ints("pads", p, p, p, p));
        cx.Define(node, y, BatchAxis.Leading(cx, node));
    }
}
