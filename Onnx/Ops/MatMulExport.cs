using StaticGraph.Onnx.Export;

namespace StaticGraph.Onnx.Ops;

/// <summary>
/// matmul → Gemm with transA/transB (the linear layer is x·Wᵀ, so transB=1 and W is exported as stored).
/// Rows of op(A) carry the batch; a transposed operand whose batch would become a column is refused.
/// </summary>
[OnnxExportFor(typeof(MatMulOp))]
internal sealed class MatMulExport : IOnnxOpExport
{
    public void Export(ExportContext cx, Node node)
    {
        var op = (MatMulOp)node.Op;
        var (a, b) = (node.Inputs[0], node.Inputs[1]);
        if (op.TransposeB && cx.FactorOf(b) is not null)
            throw OnnxExportException.For(node, "B is transposed and carries the batch, which would make the batch a column of the result");
        // Rows of op(A) are A's rows unless A is transposed; a batch contracted away leaves no batch axis.
        var factor = op.TransposeA ? null : cx.FactorOf(a);
        var y = cx.ResultName(node);
        cx.Emit(node, "Gemm", [cx.NameOf(a), cx.NameOf(b)], y,
            OnnxAttributes.Int("transA", op.TransposeA ? 1 : 0), OnnxAttributes.Int("transB", op.TransposeB ? 1 : 0));
        cx.Define(node, y, factor);
    }
}
