using StaticGraph.Cuda.Kernels;
using StaticGraph.Cuda.Lowering;
using StaticGraph.Ops;

namespace StaticGraph.Cuda.Ops;

/// <summary>A C conversion: to integers it truncates toward zero, as the CPU backend does.</summary>
[CudaLoweringFor(typeof(CastOp))]
internal sealed class CastLowering : IElementwiseLowering
{
    public string Expression(Node node, IReadOnlyList<string> operands, ICollection<KernelHelper> helpers) =>
        $"({KernelTypes.CType(node.DType)}){operands[0]}";
}
