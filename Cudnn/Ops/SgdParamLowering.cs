using StaticGraph.Cuda.Kernels;
using StaticGraph.Cuda.Lowering;
using StaticGraph.Ops;

namespace StaticGraph.Cuda.Ops;

/// <summary>
/// The parameter update as an expression: <c>p - lr*v'</c>, or with Nesterov <c>p - lr*(g + wd*p + m*v')</c>, the CPU's
/// operations in the CPU's order (bitwise equal with contraction off). The learning rate is a scalar input, which the
/// fused kernel reads as element 0, so a captured step sees each step's rate.
/// </summary>
[CudaLoweringFor(typeof(SgdParamOp))]
internal sealed class SgdParamLowering : IElementwiseLowering
{
    public string Expression(Node node, IReadOnlyList<string> operands, ICollection<KernelHelper> helpers)
    {
        var op = (SgdParamOp)node.Op;
        var type = KernelTypes.Of(node.DType);
        var (p, g, v, lr) = (operands[0], operands[1], operands[2], operands[3]);
        return op.Nesterov
            ? $"{p} - {lr} * ({g} + {SgdConstant.Literal(type, op.WeightDecay)} * {p} + {SgdConstant.Literal(type, op.Momentum)} * {v})"
            : $"{p} - {lr} * {v}";
    }
}
