using System.Numerics;
using System.Numerics.Tensors;

namespace StaticGraph.Backend.Cpu;

/// <summary>
/// Softmax and log-softmax over the last axis, one row at a time: subtract the row's maximum so
/// the exponentials cannot overflow, exponentiate into the output row, then normalise (softmax) or
/// subtract the log of the sum from the shifted logits (log-softmax). Rows are split into fixed
/// groups across workers; no scratch is needed because the output row holds the exponentials.
/// </summary>
[CpuKernelFor(typeof(SoftmaxOp))]
internal sealed unsafe class SoftmaxKernel<T> : CpuKernel, IParallelBody
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly SoftmaxFunction _fn;
    private readonly CpuTensor _x, _y;
    private readonly int _rowLength;
    private readonly long _rows, _rowsPerTask;
    private readonly int _tasks;

    public SoftmaxKernel(CpuKernelArgs args)
    {
        _fn = ((SoftmaxOp)args.Node.Op).Function;
        (_x, _y) = (args.Inputs[0], args.Output);
        _rowLength = _x.Shape[-1];
        _rows = _x.Length / _rowLength;
        _rowsPerTask = StridedIndex.RowsPerTask(_rowLength);
        _tasks = StridedIndex.Tasks(_rows, _rowsPerTask);
    }

    public override void Run(CpuContext ctx) => ctx.Workers.For(_tasks, this);

    public void Execute(int task, int worker) => Normalise(task);

    private void Normalise(int task)
    {
        var first = task * _rowsPerTask;
        var end = Math.Min(_rows, first + _rowsPerTask);
        for (var row = first; row < end; row++)
        {
            var x = new ReadOnlySpan<T>(_x.Ptr<T>() + row * _rowLength, _rowLength);
            var y = new Span<T>(_y.Ptr<T>() + row * _rowLength, _rowLength);
            var max = TensorPrimitives.Max(x);
            TensorPrimitives.Subtract(x, max, y);
            TensorPrimitives.Exp(y, y);
            var sum = TensorPrimitives.Sum<T>(y);
            if (_fn == SoftmaxFunction.Softmax)
            {
                TensorPrimitives.Divide(y, sum, y);
            }
            else
            {
                // (x - max) - log(sum) keeps the large shifted logits exact before the small correction.
                TensorPrimitives.Subtract(x, max, y);
                TensorPrimitives.Subtract(y, T.Log(sum), y);
            }
        }
    }
}
