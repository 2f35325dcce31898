using StaticGraph.Onnx.Export;

namespace StaticGraph.Onnx.Ops;

/// <summary>
/// batch_norm in an inference program → BatchNormalization with the running statistics: both compute
/// (x - mean) / sqrt(var + eps) · gamma + beta per channel. Kept as its own node rather than folded into the
/// preceding Conv, so the exported weights are exactly the checkpoint's (ONNX Runtime folds it itself).
/// </summary>
[OnnxExportFor(typeof(BatchNormOp))]
internal sealed class BatchNormExport : IOnnxOpExport
{
    public void Export(ExportContext cx, Node node)
    {
        var op = (BatchNormOp)node.Op;
        foreach (var stat in node.Inputs.Skip(1))
            if (cx.FactorOf(stat) is not null) throw OnnxExportException.For(node, "a per-channel input depends on the batch");
        var y = cx.ResultName(node);
        cx.Emit(node, "BatchNormalization", node.Inputs.Select(cx.NameOf), y, OnnxAttributes.Float("epsilon", op.Eps));
        cx.Define(node, y, BatchAxis.Leading(cx, node));
    }
}
