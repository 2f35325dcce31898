using StaticGraph.Onnx.Export;

namespace StaticGraph.Onnx.Ops;

/// <summary>
/// reduce_sum/mean/max → ReduceSum/ReduceMean/ReduceMax (axes as an input, opset 18). The mean over the
/// spatial axes of an NCHW tensor (global average pooling) is written GlobalAveragePool + Flatten, the form
/// runtimes recognise and fuse.
/// </summary>
[OnnxExportFor(typeof(ReduceOp))]
internal sealed class ReduceExport : IOnnxOpExport
{
    public void Export(ExportContext cx, Node node)
    {
        var op = (ReduceOp)node.Op;
        var x = node.Inputs[0];
        var axes = op.NormalisedAxes(x.Shape);
        var factor = Array.IndexOf(axes, 0) >= 0 ? null : cx.FactorOf(x);
        var y = cx.ResultName(node);
        if (op.Function == ReduceFunction.Mean && x.Shape.Rank == 4 && axes is [2, 3] && !op.KeepDims)
        {
            var pooled = cx.TempName(node, "pooled");
            cx.Emit(node, "GlobalAveragePool", [cx.NameOf(x)], pooled);
            cx.Emit(node, "Flatten", [pooled], y, OnnxAttributes.Int("axis", 1));
        }
        else
        {
            var opType = op.Function switch
            {
                ReduceFunction.Sum => "ReduceSum",
                ReduceFunction.Mean => "ReduceMean",
                ReduceFunction.Max => "ReduceMax",
                _ => throw OnnxExportException.For(node, $"no ONNX form for reduction {op.Function}"),
            };
            cx.Emit(node, opType, [cx.NameOf(x), cx.Int64s(node, "axes", [.. axes.Select(a => (long)a)])], y,
                OnnxAttributes.Int("keepdims", op.KeepDims ? 1 : 0));
        }
        cx.Define(node, y, factor);
    }
}
