using System.Numerics;
using System.Numerics.Tensors;

namespace StaticGraph.Backend.Cpu;

/// <summary>
/// Zeroes the output, then adds value row i to output row idx[i] for i in increasing order. Each
/// task owns a fixed range of output rows and scans all the indices for the ones landing there,
/// so every output row sums its contributions in the same order whatever the number of threads
/// (the result is deterministic) and all memory traffic is whole contiguous rows.
/// </summary>
[CpuKernelFor(typeof(ScatterAddRowsOp))]
internal sealed unsafe class ScatterAddRowsKernel<T> : CpuKernel, IParallelBody
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly Node _node;
    private readonly CpuTensor _values, _indices, _y;
    private readonly long _rowLength, _rowsPerTask;
    private readonly int _tasks;

    public ScatterAddRowsKernel(CpuKernelArgs args)
    {
        _node = args.Node;
        (_values, _indices, _y) = (args.Inputs[0], args.Inputs[1], args.Output);
        _rowLength = _y.Shape.Product(1, _y.Shape.Rank);
        _rowsPerTask = StridedIndex.RowsPerTask(_rowLength);
        _tasks = StridedIndex.Tasks(_y.Shape[0], _rowsPerTask);
    }

    public override void Run(CpuContext ctx)
    {
        GatherRowsKernel.CheckRowIndices(_node, _indices, _y.Shape[0]);
        ctx.Workers.For(_tasks, this);
    }

    public void Execute(int task, int worker) => Scatter(task);

    private void Scatter(int task)
    {
        var first = task * _rowsPerTask;
        var end = Math.Min(_y.Shape[0], first + _rowsPerTask);
        var width = (int)_rowLength;
        T* values = _values.Ptr<T>(), y = _y.Ptr<T>();
        var idx = _indices.Ptr<int>();
        new Span<T>(y + first * _rowLength, checked((int)((end - first) * _rowLength))).Clear();
        for (long i = 0; i < _indices.Length; i++)
        {
            var row = idx[i];
            if (row < first || row >= end) continue;
            var dst = new Span<T>(y + row * _rowLength, width);
            TensorPrimitives.Add(dst, new ReadOnlySpan<T>(values + i * _rowLength, width), dst);
        }
    }
}
