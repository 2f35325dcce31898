using System.Numerics;

namespace StaticGraph.Backend.Cpu;

/// <summary>where(mask, a, b) with broadcasting.</summary>
[CpuKernelFor(typeof(WhereOp))]
internal sealed unsafe class WhereKernel<T>(CpuKernelArgs args) : CpuKernel, IParallelBody
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly CpuTensor _m = args.Inputs[0], _a = args.Inputs[1], _b = args.Inputs[2], _y = args.Output;
    private readonly ElementwiseLayout _layout = new(args.Output.Shape, args.Inputs[0].Shape, args.Inputs[1].Shape, args.Inputs[2].Shape);

    public override void Run(CpuContext ctx) => ctx.Workers.For(_layout.Tasks, this);

    public void Execute(int task, int worker) => Rows(task);

    private void Rows(int task)
    {
        var l = _layout;
        var first = (long)task * l.RowsPerTask;
        var last = Math.Min(l.Rows, first + l.RowsPerTask);
        var (sm, sa, sb) = (l.Strides[0][^1], l.Strides[1][^1], l.Strides[2][^1]);
        for (var row = first; row < last; row++)
        {
            T* m = _m.Ptr<T>() + l.RowOffset(0, row), a = _a.Ptr<T>() + l.RowOffset(1, row), b = _b.Ptr<T>() + l.RowOffset(2, row);
            var y = _y.Ptr<T>() + row * l.Inner;
            for (long i = 0; i < l.Inner; i++) y[i] = m[i * sm] != T.Zero ? a[i * sa] : b[i * sb];
        }
    }
}
