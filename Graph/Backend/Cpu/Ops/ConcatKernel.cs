namespace StaticGraph.Backend.Cpu;

/// <summary>
/// Viewed as [outer, axis * inner], each input fills a contiguous block of every output row, so
/// the join is one block copy per input and row. Rows are split into fixed groups across workers.
/// Elements move as raw bytes, so every dtype is handled.
/// </summary>
[CpuKernelFor(typeof(ConcatOp))]
internal sealed unsafe class ConcatKernel : CpuKernel, IParallelBody
{
    private readonly CpuTensor[] _inputs;
    private readonly CpuTensor _y;

    // Per input: bytes of its block in each row, and where the block starts in an output row.
    private readonly long[] _blockBytes, _blockOffsets;
    private readonly long _outerRows, _rowBytes, _rowsPerTask;
    private readonly int _tasks;

    public ConcatKernel(CpuKernelArgs args)
    {
        var op = (ConcatOp)args.Node.Op;
        (_inputs, _y) = (args.Inputs.ToArray(), args.Output);
        var shape = _y.Shape;
        var axis = op.NormalisedAxis(shape.Rank);
        var elementSize = _y.Type.DType.SizeInBytes();
        var inner = shape.Product(axis + 1, shape.Rank);
        _outerRows = shape.Product(0, axis);
        _blockBytes = _inputs.Select(x => x.Shape[axis] * inner * elementSize).ToArray();
        _blockOffsets = new long[_inputs.Length];
        for (var i = 1; i < _inputs.Length; i++) _blockOffsets[i] = _blockOffsets[i - 1] + _blockBytes[i - 1];
        _rowBytes = shape[axis] * inner * elementSize;
        _rowsPerTask = StridedIndex.RowsPerTask(shape[axis] * inner);
        _tasks = StridedIndex.Tasks(_outerRows, _rowsPerTask);
    }

    public override void Run(CpuContext ctx) => ctx.Workers.For(_tasks, this);

    public void Execute(int task, int worker)
    {
        var first = task * _rowsPerTask;
        var end = Math.Min(_outerRows, first + _rowsPerTask);
        for (var row = first; row < end; row++)
        {
            for (var i = 0; i < _inputs.Length; i++)
            {
                var bytes = _blockBytes[i];
                Buffer.MemoryCopy(_inputs[i].Data + row * bytes, _y.Data + row * _rowBytes + _blockOffsets[i], bytes, bytes);
            }
        }
    }
}
