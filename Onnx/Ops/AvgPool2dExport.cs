using StaticGraph.Onnx.Export;

namespace StaticGraph.Onnx.Ops;

/// <summary>avg_pool2d → AveragePool with count_include_pad=1: our average divides by the full window, padding included.</summary>
[OnnxExportFor(typeof(AvgPool2dOp))]
internal sealed class AvgPool2dExport : IOnnxOpExport
{
    public void Export(ExportContext cx, Node node)
    {
        var op = (AvgPool2dOp)node.Op;
        var (k, s, p) = (op.Kernel, op.Window.Stride, op.Window.Padding);
        var y = cx.ResultName(node);
        cx.Emit(node, "AveragePool", [cx.NameOf(node.Inputs[0])], y,
            OnnxAttributes.Ints("kernel_shape", k, k), OnnxAttributes.Ints("strides", s, s),
            OnnxAttributes.Ints("pads", p, p, p, p), OnnxAttributes.Int("count_include_pad", 1));
        cx.Define(node, y, BatchAxis.Leading(cx, node));
    }
}
