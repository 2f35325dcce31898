using StaticGraph.Cuda.Kernels;
using StaticGraph.Cuda.Lowering;
using StaticGraph.Ops;

namespace StaticGraph.Cuda.Ops;

/// <summary>Binary functions as C expressions, with the CPU backend's semantics (max/min pick the first on ties, comparisons give 1 or 0).</summary>
[CudaLoweringFor(typeof(BinaryOp))]
internal sealed class BinaryLowering : IElementwiseLowering
{
    public string Expression(Node node, IReadOnlyList<string> operands, ICollection<KernelHelper> helpers)
    {
        var t = KernelTypes.CType(node.DType);
        var (p, q) = (operands[0], operands[1]);
        return ((BinaryOp)node.Op).Function switch
        {
            BinaryFunction.Add => $"{p} + {q}",
            BinaryFunction.Sub => $"{p} - {q}",
            BinaryFunction.Mul => $"{p} * {q}",
            BinaryFunction.Div => $"{p} / {q}",
            BinaryFunction.Max => $"({p} >= {q} ? {p} : {q})",
            BinaryFunction.Min => $"({p} <= {q} ? {p} : {q})",
            BinaryFunction.Greater => $"({p} > {q} ? ({t})1 : ({t})0)",
            BinaryFunction.Equal => $"({p} == {q} ? ({t})1 : ({t})0)",
            BinaryFunction.ReluBackward => $"({p} > ({t})0 ? {q} : ({t})0)",
            var other => throw new NotSupportedException($"no CUDA expression for binary function {other} of {node}"),
        };
    }
}
