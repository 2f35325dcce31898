using StaticGraph.Onnx.Export;

namespace StaticGraph.Onnx.Ops;

/// <summary>conv2d → Conv: the same cross-correlation, square stride, symmetric zero padding, dilation and groups.</summary>
[OnnxExportFor(typeof(Conv2dOp))]
internal sealed class Conv2dExport : IOnnxOpExport
{
    public void Export(ExportContext cx, Node node)
    {
        var op = (Conv2dOp)node.Op;
        var (x, w) = (node.Inputs[0], node.Inputs[1]);
        if (cx.FactorOf(w) is not null) throw OnnxExportException.For(node, "the filter depends on the batch");
        var (s, p, d) = (op.Window.Stride, op.Window.Padding, op.Window.Dilation);
        var y = cx.ResultName(node);
        cx.Emit(node, "Conv", [cx.NameOf(x), cx.NameOf(w)], y,
            OnnxAttributes.Ints("kernel_shape", w.Shape[2], w.Shape[3]),
            OnnxAttributes.Ints("strides", s, s),
            OnnxAttributes.Ints("pads", p, p, p, p),
            OnnxAttributes.Ints("dilations", d, d),
            OnnxAttributes.Int("group", op.Groups));
        cx.Define(node, y, BatchAxis.Leading(cx, node));
    }
}
