using StaticGraph.Onnx.Export;

namespace StaticGraph.Onnx.Ops;

/// <summary>
/// concat → Concat. Joining along the batch axis adds the inputs' batch factors (Dual-Cutout stacks two
/// views of the batch), so every input must carry the batch there; along another axis they must agree.
/// </summary>
[OnnxExportFor(typeof(ConcatOp))]
internal sealed class ConcatExport : IOnnxOpExport
{
    public void Export(ExportContext cx, Node node)
    {
        var op = (ConcatOp)node.Op;
        var axis = op.NormalisedAxis(node.Shape.Rank);
        var factors = node.Inputs.Select(cx.FactorOf).ToArray();
        int? factor;
        if (axis == 0)
        {
            if (factors.All(f => f is null)) factor = null;
            else if (factors.All(f => f is not null)) factor = factors.Sum(f => f!.Value);
            else throw OnnxExportException.For(node, "joins batch rows with fixed rows along axis 0, which only fits one batch size");
        }
        else
        {
            factor = BatchAxis.Elementwise(cx, node);
        }
        var y = cx.ResultName(node);
        cx.Emit(node, "Concat", node.Inputs.Select(cx.NameOf), y, OnnxAttributes.Int("axis", axis));
        cx.Define(node, y, factor);
    }
}
