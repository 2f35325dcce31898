using StaticGraph.Onnx.Export;

namespace StaticGraph.Onnx.Ops;

/// <summary>
/// The binary elementwise functions → Add, Sub, Mul, Div, Max, Min (ONNX broadcasts like NumPy, as we do);
/// the comparisons give booleans in ONNX and 0/1 of the operands' dtype here, hence a Cast after them.
/// relu_backward is a training-only op and has no ONNX form.
/// </summary>
[OnnxExportFor(typeof(BinaryOp))]
internal sealed class BinaryExport : IOnnxOpExport
{
    public void Export(ExportContext cx, Node node)
    {
        var op = (BinaryOp)node.Op;
        var inputs = node.Inputs.Select(cx.NameOf).ToArray();
        var factor = BatchAxis.Elementwise(cx, node);
        var y = cx.ResultName(node);
        switch (op.Function)
        {
            case BinaryFunction.Add: cx.Emit(node, "Add", inputs, y); break;
            case BinaryFunction.Sub: cx.Emit(node, "Sub", inputs, y); break;
            case BinaryFunction.Mul: cx.Emit(node, "Mul", inputs, y); break;
            case BinaryFunction.Div: cx.Emit(node, "Div", inputs, y); break;
            case BinaryFunction.Max: cx.Emit(node, "Max", inputs, y); break;
            case BinaryFunction.Min: cx.Emit(node, "Min", inputs, y); break;
            case BinaryFunction.Greater or BinaryFunction.Equal:
                var mask = cx.TempName(node, "mask");
                cx.Emit(node, op.Function == BinaryFunction.Greater ? "Greater" : "Equal", inputs, mask);
                cx.Emit(node, "Cast", [mask], y, OnnxAttributes.Int("to", OnnxTypes.ElementType(node.DType)));
                break;
            default:
                throw OnnxExportException.For(node, "no ONNX form (a gradient op, only found in training programs)");
        }
        cx.Define(node, y, factor);
    }
}
