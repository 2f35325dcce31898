using StaticGraph.Onnx.Export;

namespace StaticGraph.Onnx.Ops;

/// <summary>
/// The unary elementwise functions → their ONNX namesakes; square is x·x and step (1 where x &gt; 0) is a
/// Greater against zero cast back to the dtype, since ONNX has neither.
/// </summary>
[OnnxExportFor(typeof(UnaryOp))]
internal sealed class UnaryExport : IOnnxOpExport
{
    public void Export(ExportContext cx, Node node)
    {
        var op = (UnaryOp)node.Op;
        var x = cx.NameOf(node.Inputs[0]);
        var y = cx.ResultName(node);
        switch (op.Function)
        {
            case UnaryFunction.Square:
                cx.Emit(node, "Mul", [x, x], y);
                break;
            case UnaryFunction.Step:
                var mask = cx.TempName(node, "mask");
                cx.Emit(node, "Greater", [x, cx.Scalar(node, "zero", node.DType, 0)], mask);
                cx.Emit(node, "Cast", [mask], y, OnnxAttributes.Int("to", OnnxTypes.ElementType(node.DType)));
                break;
            default:
                cx.Emit(node, OnnxName(node, op.Function), [x], y);
                break;
        }
        cx.Define(node, y, BatchAxis.Leading(cx, node));
    }

    private static string OnnxName(Node node, UnaryFunction function) => function switch
    {
        UnaryFunction.Neg => "Neg",
        UnaryFunction.Exp => "Exp",
        UnaryFunction.Log => "Log",
        UnaryFunction.Sqrt => "Sqrt",
        UnaryFunction.Reciprocal => "Reciprocal",
        UnaryFunction.Abs => "Abs",
        UnaryFunction.Relu => "Relu",
        UnaryFunction.Sign => "Sign",
        UnaryFunction.Sigmoid => "Sigmoid",
        UnaryFunction.Tanh => "Tanh",
        _ => throw OnnxExportException.For(node, $"no ONNX form for {function}"),
    };
}
