using StaticGraph.Onnx.Export;

namespace StaticGraph.Onnx.Ops;

/// <summary>
/// pad → Pad (constant mode, pads and value as inputs). Padding the batch axis would add a fixed number of
/// rows to a variable one, so it is refused there.
/// </summary>
[OnnxExportFor(typeof(PadOp))]
internal sealed class PadExport : IOnnxOpExport
{
    public void Export(ExportContext cx, Node node)
    {
        var op = (PadOp)node.Op;
        var x = node.Inputs[0];
        var factor = cx.FactorOf(x);
        if (factor is not null && (op.Before[0] != 0 || op.After[0] != 0))
            throw OnnxExportException.For(node, "pads the batch axis");
        long[] pads = [.. op.Before.Select(p => (long)p), .. op.After.Select(p => (long)p)];
        var y = cx.ResultName(node);
        cx.Emit(node, "Pad", [cx.NameOf(x), cx.Int64s(node, "pads", pads), cx.Scalar(node, "value", x.DType, op.Value)], y,
            new AttributeProto { Name = "mode", Type = AttributeProto.Types.AttributeType.String, S = Google.Protobuf.ByteString.CopyFromUtf8("constant") });
        cx.Define(node, y, factor);
    }
}
