using System.Numerics;
using System.Numerics.Tensors;

namespace StaticGraph.Backend.Cpu;

/// <summary>Unary elementwise functions over fixed chunks, using TensorPrimitives' SIMD routines.</summary>
[CpuKernelFor(typeof(UnaryOp))]
internal sealed unsafe class UnaryKernel<T>(CpuKernelArgs args) : CpuKernel, IParallelBody
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly UnaryFunction _fn = ((UnaryOp)args.Node.Op).Function;
    private readonly CpuTensor _x = args.Inputs[0], _y = args.Output;

    public override void Run(CpuContext ctx) => ctx.Workers.For(ElementwiseLayout.ChunkCount(_y.Length), this);

    public void Execute(int task, int worker) => Apply(task);

    private void Apply(int task)
    {
        var start = (long)task * ElementwiseLayout.ElementsPerTask;
        var n = (int)Math.Min(ElementwiseLayout.ElementsPerTask, _y.Length - start);
        var x = new ReadOnlySpan<T>(_x.Ptr<T>() + start, n);
        var y = new Span<T>(_y.Ptr<T>() + start, n);
        switch (_fn)
        {
            case UnaryFunction.Neg: TensorPrimitives.Negate(x, y); break;
            case UnaryFunction.Exp: TensorPrimitives.Exp(x, y); break;
            case UnaryFunction.Log: TensorPrimitives.Log(x, y); break;
            case UnaryFunction.Sqrt: TensorPrimitives.Sqrt(x, y); break;
            case UnaryFunction.Reciprocal: TensorPrimitives.Reciprocal(x, y); break;
            case UnaryFunction.Square: TensorPrimitives.Multiply(x, x, y); break;
            case UnaryFunction.Abs: TensorPrimitives.Abs(x, y); break;
            case UnaryFunction.Relu: TensorPrimitives.Max(x, T.Zero, y); break;
            case UnaryFunction.Tanh: TensorPrimitives.Tanh(x, y); break;
            case UnaryFunction.Sigmoid: TensorPrimitives.Sigmoid(x, y); break;
            case UnaryFunction.Step:
                for (var i = 0; i < n; i++) y[i] = x[i] > T.Zero ? T.One : T.Zero;
                break;
            case UnaryFunction.Sign:
                for (var i = 0; i < n; i++) y[i] = T.CreateTruncating(T.Sign(x[i]));
                break;
            default: throw new NotSupportedException($"no CPU kernel for {_fn}");
        }
    }
}
