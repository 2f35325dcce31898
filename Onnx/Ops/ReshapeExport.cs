using StaticGraph.Onnx.Export;

namespace StaticGraph.Onnx.Ops;

/// <summary>
/// reshape → Reshape. When the input carries the batch, the target's leading dimension is written -1 so ONNX
/// infers it from N; that keeps the meaning only if the target's leading dimension is a multiple of B (the
/// batch stays leading), so any other target is refused rather than frozen to B.
/// </summary>
[OnnxExportFor(typeof(ReshapeOp))]
internal sealed class ReshapeExport : IOnnxOpExport
{
    public void Export(ExportContext cx, Node node)
    {
        var target = ((ReshapeOp)node.Op).Target;
        var x = node.Inputs[0];
        long[] shape = [.. target.Select(d => (long)d)];
        int? factor = null;
        if (cx.FactorOf(x) is not null)
        {
            var b = cx.BatchSize;
            if (target.Rank == 0 || target[0] % b != 0)
                throw OnnxExportException.For(node, $"reshapes a batch of {x.Shape} to {target}, which does not keep the batch leading");
            shape[0] = -1;
            factor = target[0] / b;
        }
        var y = cx.ResultName(node);
        cx.Emit(node, "Reshape", [cx.NameOf(x), cx.Int64s(node, "shape", shape)], y);
        cx.Define(node, y, factor);
    }
}
