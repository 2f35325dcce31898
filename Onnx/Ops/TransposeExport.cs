using StaticGraph.Onnx.Export;

namespace StaticGraph.Onnx.Ops;

/// <summary>transpose → Transpose. A permutation that moves the batch off axis 0 is refused (every later shape rule assumes it leads).</summary>
[OnnxExportFor(typeof(TransposeOp))]
internal sealed class TransposeExport : IOnnxOpExport
{
    public void Export(ExportContext cx, Node node)
    {
        var op = (TransposeOp)node.Op;
        var factor = cx.FactorOf(node.Inputs[0]);
        if (factor is not null && op.Permutation[0] != 0)
            throw OnnxExportException.For(node, $"permutation [{string.Join(",", op.Permutation)}] moves the batch axis off axis 0");
        var y = cx.ResultName(node);
        cx.Emit(node, "Transpose", [cx.NameOf(node.Inputs[0])], y, OnnxAttributes.Ints("perm", [.. op.Permutation.Select(a => (long)a)]));
        cx.Define(node, y, factor);
    }
}
