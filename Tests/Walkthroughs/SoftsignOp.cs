using System.Numerics;
using StaticGraph.Backend.Cpu;
using StaticGraph.Cuda.Kernels;
using StaticGraph.Cuda.Lowering;
using StaticGraph.Ops;

namespace StaticGraph.Tests.Walkthroughs;

// The worked example of the walkthrough "add an op" (docs/architecture.md): softsign, y = x / (1 + |x|), written outside
// the library, in this one file — the definition with its gradient rule and builder method, one CPU kernel and one CUDA
// lowering — and found by the backends through their attributes, with nothing central edited.

/// <summary>Softsign (Glorot and Bengio's smooth alternative to tanh): <c>y = x / (1 + |x|)</c>, elementwise.</summary>
internal sealed class SoftsignOp : Op
{
    public override string Name => "softsign";

    public override TensorType InferType(IReadOnlyList<TensorType> inputs)
    {
        ExpectArity(inputs, 1);
        ExpectFloat(inputs[0], "the input");
        return inputs[0];
    }

    /// <summary>dy/dx = 1 / (1 + |x|)^2, built from ops the backends already have.</summary>
    public override Node?[] Gradient(GraphBuilder b, Node node, Node outputGradient)
    {
        var x = node.Inputs[0];
        return [b.Div(outputGradient, b.Square(b.AddScalar(b.Abs(x), 1)))];
    }
}

/// <summary>The builder method users call.</summary>
internal static class SoftsignBuilder
{
    public static Node Softsign(this GraphBuilder b, Node x) => b.Apply(new SoftsignOp(), x);
}

/// <summary>The CPU kernel, written once for every floating-point dtype (the registry instantiates it per node).</summary>
[CpuKernelFor(typeof(SoftsignOp))]
internal sealed unsafe class SoftsignKernel<T>(CpuKernelArgs args) : CpuKernel
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly CpuTensor _x = args.Inputs[0], _y = args.Output;

    public override void Run(CpuContext ctx)
    {
        var x = _x.Span<T>();
        var y = _y.Span<T>();
        for (var i = 0; i < x.Length; i++) y[i] = x[i] / (T.One + T.Abs(x[i]));
    }
}

/// <summary>The CUDA lowering: an elementwise expression, which the planner fuses with its neighbours into one kernel.</summary>
[CudaLoweringFor(typeof(SoftsignOp))]
internal sealed class SoftsignLowering : IElementwiseLowering
{
    public string Expression(Node node, IReadOnlyList<string> operands, ICollection<KernelHelper> helpers)
    {
        var type = KernelTypes.Of(node.DType);
        var (t, f, x) = (type.C(), type.MathSuffix(), operands[0]);
        return $"({x} / (({t})1 + fabs{f}({x})))";
    }
}
