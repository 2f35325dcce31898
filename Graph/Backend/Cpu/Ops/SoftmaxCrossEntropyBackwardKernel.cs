using System.Numerics;

namespace StaticGraph.Backend.Cpu;

/// <summary>
/// The fused logits gradient (softmax * sum(t') - t') * dloss / N, row by row: the output row
/// first holds the max-shifted exponentials, then each element becomes (S p_k - t'_k) times the
/// scale, computed in f64. S is 1 for class indices; soft targets are summed, so targets that are
/// not exact distributions still get their true gradient. Rows are split into fixed groups.
/// </summary>
[CpuKernelFor(typeof(SoftmaxCrossEntropyBackwardOp))]
internal sealed unsafe class SoftmaxCrossEntropyBackwardKernel<T> : CpuKernel, IParallelBody
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly Node _node;
    private readonly CpuTensor _logits, _labels, _dloss, _dlogits;
    private readonly bool _classIndices;
    private readonly double _smoothing;
    private readonly int _rows, _classes, _rowsPerTask, _tasks;
    private double _scale;

    public SoftmaxCrossEntropyBackwardKernel(CpuKernelArgs args)
    {
        _node = args.Node;
        (_logits, _labels, _dloss, _dlogits) = (args.Inputs[0], args.Inputs[1], args.Inputs[2], args.Output);
        _classIndices = _labels.Type.DType == DType.I32;
        _smoothing = ((SoftmaxCrossEntropyBackwardOp)args.Node.Op).LabelSmoothing;
        (_rows, _classes) = (_logits.Shape[0], _logits.Shape[1]);
        _rowsPerTask = (int)StridedIndex.RowsPerTask(_classes);
        _tasks = StridedIndex.Tasks(_rows, _rowsPerTask);
    }

    public override void Run(CpuContext ctx)
    {
        if (_classIndices) SoftmaxCrossEntropyRows.CheckClassIndices(_node, _labels, _classes);
        _scale = CpuValues.Get(_dloss, 0) / _rows;
        ctx.Workers.For(_tasks, this);
    }

    public void Execute(int task, int worker) => RowGradients(task);

    private void RowGradients(int task)
    {
        var end = Math.Min(_rows, (task + 1) * _rowsPerTask);
        for (var row = task * _rowsPerTask; row < end; row++)
        {
            var x = new ReadOnlySpan<T>(_logits.Ptr<T>() + (long)row * _classes, _classes);
            var y = new Span<T>(_dlogits.Ptr<T>() + (long)row * _classes, _classes);
            var (_, sum) = SoftmaxCrossEntropyRows.ShiftedExp(x, y);
            var inverseSum = 1 / sum;
            var label = _classIndices ? _labels.Ptr<int>()[row] : -1;
            var targets = _classIndices ? null : _labels.Ptr<T>() + (long)row * _classes;
            double targetSum = 1;
            if (!_classIndices)
            {
                targetSum = 0;
                for (var k = 0; k < _classes; k++) targetSum += SoftmaxCrossEntropyRows.Smoothed(double.CreateTruncating(targets[k]), _smoothing, _classes);
            }
            for (var k = 0; k < _classes; k++)
            {
                var t = _classIndices ? (k == label ? 1.0 : 0.0) : double.CreateTruncating(targets[k]);
                var p = double.CreateTruncating(y[k]) * inverseSum;
                y[k] = T.CreateTruncating((targetSum * p - SoftmaxCrossEntropyRows.Smoothed(t, _smoothing, _classes)) * _scale);
            }
        }
    }
}
