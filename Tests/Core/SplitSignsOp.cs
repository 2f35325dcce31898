using System.Numerics;
using StaticGraph.Backend.Cpu;
using StaticGraph.Ops;

namespace StaticGraph.Tests.Core;

/// <summary>
/// A small multi-output op for the IR's tests, independent of batch norm: <c>x -&gt; (max(x, 0), min(x, 0), sum(x))</c>,
/// the sum an f64 scalar, all written by one kernel. When given a list, its gradient rule records the output
/// gradients it receives.
/// </summary>
internal sealed class SplitSignsOp(List<Node?[]>? gradientCalls = null) : MultiOutputOp
{
    public override string Name => "split_signs";

    public override TensorType[] InferTypes(IReadOnlyList<TensorType> inputs)
    {
        ExpectArity(inputs, 1);
        ExpectFloat(inputs[0], "the input");
        return [inputs[0], inputs[0], new TensorType(DType.F64, Shape.Scalar)];
    }

    public override Node?[] Gradient(GraphBuilder b, Node node, IReadOnlyList<Node?> outputGradients)
    {
        gradientCalls?.Add([.. outputGradients]);
        var x = node.Inputs[0];
        var positive = b.Step(x);
        Node? dx = null;
        void Add(Node term) => dx = dx is null ? term : b.Add(dx, term);
        if (outputGradients[0] is { } d0) Add(b.Mul(d0, positive));
        if (outputGradients[1] is { } d1) Add(b.Mul(d1, b.Sub(b.Scalar(1, x.DType), positive)));
        if (outputGradients[2] is { } d2) Add(b.BroadcastTo(b.Cast(d2, x.DType), x.Shape));
        return [dx];
    }
}

/// <summary>The CPU kernel of <see cref="SplitSignsOp"/>: one pass writes all three outputs.</summary>
[CpuKernelFor(typeof(SplitSignsOp))]
internal sealed unsafe class SplitSignsKernel<T>(CpuKernelArgs args) : CpuKernel
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly CpuTensor _x = args.Inputs[0], _plus = args.Outputs[0], _minus = args.Outputs[1], _sum = args.Outputs[2];

    public override void Run(CpuContext ctx)
    {
        T* x = _x.Ptr<T>(), plus = _plus.Ptr<T>(), minus = _minus.Ptr<T>();
        double sum = 0;
        for (long i = 0; i < _x.Length; i++)
        {
            plus[i] = T.Max(x[i], T.Zero);
            minus[i] = T.Min(x[i], T.Zero);
            sum += double.CreateTruncating(x[i]);
        }
        *_sum.Ptr<double>() = sum;
    }
}

/// <summary>An op that admits any dtype but whose CPU kernel is written for floating point only.</summary>
internal sealed class FloatOnlyCopyOp : Op
{
    public override string Name => "float_only_copy";

    public override TensorType InferType(IReadOnlyList<TensorType> inputs) => inputs[0];

    public override Node?[] Gradient(GraphBuilder b, Node node, Node outputGradient) => [outputGradient];
}

/// <summary>Copies, and records which element type the registry instantiated it with.</summary>
[CpuKernelFor(typeof(FloatOnlyCopyOp))]
internal sealed unsafe class FloatOnlyCopyKernel<T>(CpuKernelArgs args) : CpuKernel
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly CpuTensor _x = args.Inputs[0], _y = args.Output;

    public static Type ElementType => typeof(T);

    public override void Run(CpuContext ctx) => _x.Span<T>().CopyTo(_y.Span<T>());
}
