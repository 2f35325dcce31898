using System.Numerics;
using System.Numerics.Tensors;

namespace StaticGraph.Backend.Cpu;

/// <summary>
/// Mean softmax cross-entropy. Each row's loss is sum_k t'_k (lse - x_k) with lse the row's
/// max-shifted log-sum-exp, combined in f64; rows are split into fixed groups across workers and
/// their losses are then summed in row order on the calling thread, so the mean is deterministic.
/// </summary>
[CpuKernelFor(typeof(SoftmaxCrossEntropyOp))]
internal sealed unsafe class SoftmaxCrossEntropyKernel<T> : CpuKernel, IParallelBody
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly Node _node;
    private readonly CpuTensor _logits, _labels, _loss;
    private readonly bool _classIndices;
    private readonly double _smoothing;
    private readonly int _rows, _classes, _rowsPerTask, _tasks;

    // Per-row losses, kept between the parallel pass and the ordered sum (allocated once, at compile time).
    private readonly double[] _rowLoss;
    private CpuContext? _context;

    public SoftmaxCrossEntropyKernel(CpuKernelArgs args)
    {
        _node = args.Node;
        (_logits, _labels, _loss) = (args.Inputs[0], args.Inputs[1], args.Output);
        _classIndices = _labels.Type.DType == DType.I32;
        _smoothing = ((SoftmaxCrossEntropyOp)args.Node.Op).LabelSmoothing;
        (_rows, _classes) = (_logits.Shape[0], _logits.Shape[1]);
        _rowsPerTask = (int)StridedIndex.RowsPerTask(_classes);
        _tasks = StridedIndex.Tasks(_rows, _rowsPerTask);
        _rowLoss = new double[_rows];
        args.RequestScratchPerWorker((long)_classes * _logits.Type.DType.SizeInBytes());
    }

    public override void Run(CpuContext ctx)
    {
        if (_classIndices) SoftmaxCrossEntropyRows.CheckClassIndices(_node, _labels, _classes);
        _context = ctx;
        ctx.Workers.For(_tasks, this);
        double total = 0;
        foreach (var loss in _rowLoss) total += loss;
        CpuValues.Set(_loss, 0, total / _rows);
    }

    public void Execute(int task, int worker) => RowLosses(task, worker);

    private void RowLosses(int task, int worker)
    {
        var exps = new Span<T>(_context!.ScratchFor(worker), _classes);
        var end = Math.Min(_rows, (task + 1) * _rowsPerTask);
        for (var row = task * _rowsPerTask; row < end; row++)
        {
            var x = new ReadOnlySpan<T>(_logits.Ptr<T>() + (long)row * _classes, _classes);
            var (max, sum) = SoftmaxCrossEntropyRows.ShiftedExp(x, exps);
            var lse = max + Math.Log(sum);
            double loss = 0;
            if (_classIndices)
            {
                // Smoothed one-hot targets sum to 1: loss = lse - (1 - eps) x_c - (eps / K) sum_k x_k.
                var label = _labels.Ptr<int>()[row];
                var sumX = _smoothing == 0 ? 0 : double.CreateTruncating(TensorPrimitives.Sum(x));
                loss = lse - (1 - _smoothing) * double.CreateTruncating(x[label]) - _smoothing / _classes * sumX;
            }
            else
            {
                var targets = _labels.Ptr<T>() + (long)row * _classes;
                for (var k = 0; k < _classes; k++)
                {
                    var t = SoftmaxCrossEntropyRows.Smoothed(double.CreateTruncating(targets[k]), _smoothing, _classes);
                    loss += t * (lse - double.CreateTruncating(x[k]));
                }
            }
            _rowLoss[row] = loss;
        }
    }
}
