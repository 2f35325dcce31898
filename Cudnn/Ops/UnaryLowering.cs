using StaticGraph.Cuda.Kernels;
using StaticGraph.Cuda.Lowering;
using StaticGraph.Ops;

namespace StaticGraph.Cuda.Ops;

/// <summary>Unary functions as C expressions, with the CPU backend's semantics (relu keeps NaN, sign of 0 is 0).</summary>
[CudaLoweringFor(typeof(UnaryOp))]
internal sealed class UnaryLowering : IElementwiseLowering
{
    public string Expression(Node node, IReadOnlyList<string> operands, ICollection<KernelHelper> helpers)
    {
        var type = KernelTypes.Of(node.DType);
        var (t, f, v) = (type.C(), type.MathSuffix(), operands[0]);
        return ((UnaryOp)node.Op).Function switch
        {
            UnaryFunction.Neg => $"-{v}",
            UnaryFunction.Exp => $"exp{f}({v})",
            UnaryFunction.Log => $"log{f}({v})",
            UnaryFunction.Sqrt => $"sqrt{f}({v})",
            UnaryFunction.Reciprocal => $"({t})1 / {v}",
            UnaryFunction.Square => $"{v} * {v}",
            UnaryFunction.Abs => $"fabs{f}({v})",
            UnaryFunction.Relu => $"(({v} > ({t})0 || {v} != {v}) ? {v} : ({t})0)",
            UnaryFunction.Step => $"({v} > ({t})0 ? ({t})1 : ({t})0)",
            UnaryFunction.Sign => $"({v} > ({t})0 ? ({t})1 : ({v} < ({t})0 ? ({t})-1 : ({t})0))",
            UnaryFunction.Sigmoid => $"(({t})1 / (({t})1 + exp{f}(-{v})))",
            UnaryFunction.Tanh => $"tanh{f}({v})",
            var other => throw new NotSupportedException($"no CUDA expression for unary function {other} of {node}"),
        };
    }
}
