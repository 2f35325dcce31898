using StaticGraph.Cuda.Kernels;
using StaticGraph.Cuda.Lowering;
using StaticGraph.Ops;

namespace StaticGraph.Cuda.Ops;

/// <summary>Broadcasting is how fused kernels read their inputs, so broadcast_to is the identity expression.</summary>
[CudaLoweringFor(typeof(BroadcastToOp))]
internal sealed class BroadcastToLowering : IElementwiseLowering
{
    public string Expression(Node node, IReadOnlyList<string> operands, ICollection<KernelHelper> helpers) => operands[0];
}
