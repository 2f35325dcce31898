using StaticGraph.Cuda.Kernels;
using StaticGraph.Cuda.Lowering;
using StaticGraph.Ops;

namespace StaticGraph.Cuda.Ops;

/// <summary><c>where(mask, a, b)</c>: a where the mask is non-zero.</summary>
[CudaLoweringFor(typeof(WhereOp))]
internal sealed class WhereLowering : IElementwiseLowering
{
    public string Expression(Node node, IReadOnlyList<string> operands, ICollection<KernelHelper> helpers) =>
        $"({operands[0]} != 0 ? {operands[1]} : {operands[2]})";
}
