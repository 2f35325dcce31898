namespace StaticGraph.Backend.Cpu;

/// <summary>
/// Copies a box of the input row by row. An axis taken whole merges into the axis before it, so
/// the copied rows are as long as possible; rows are split into fixed groups across workers.
/// Elements move as raw bytes, so every dtype is handled.
/// </summary>
[CpuKernelFor(typeof(SliceOp))]
internal sealed unsafe class SliceKernel : CpuKernel, IParallelBody
{
    private readonly CpuTensor _x, _y;
    private readonly int _elementSize;
    private readonly long _rowLength, _rowsPerTask, _firstOffset;

    // The outer (all but innermost) merged output axes and their strides in the input.
    private readonly long[] _outerDims, _outerSrc;
    private readonly int _tasks;

    public SliceKernel(CpuKernelArgs args)
    {
        var op = (SliceOp)args.Node.Op;
        (_x, _y) = (args.Inputs[0], args.Output);
        _elementSize = _y.Type.DType.SizeInBytes();

        // Merged axes from the innermost out: (input size, start, extent).
        var axes = new List<(long Size, long Start, long Extent)>();
        for (var a = _x.Shape.Rank - 1; a >= 0; a--)
        {
            (long size, long start, long extent) = (_x.Shape[a], op.Starts[a], op.Ends[a] - op.Starts[a]);
            if (axes.Count > 0 && axes[^1].Extent == axes[^1].Size)
            {
                var inner = axes[^1].Size;
                axes[^1] = (size * inner, start * inner, extent * inner);
            }
            else axes.Add((size, start, extent));
        }
        if (axes.Count == 0) axes.Add((1, 0, 1));
        axes.Reverse();

        var srcStrides = StridedIndex.Contiguous(axes.Select(a => a.Size).ToArray());
        _firstOffset = axes.Select((a, i) => a.Start * srcStrides[i]).Sum();
        _rowLength = axes[^1].Extent;
        _outerDims = axes.Take(axes.Count - 1).Select(a => a.Extent).ToArray();
        _outerSrc = srcStrides.Take(axes.Count - 1).ToArray();
        _rowsPerTask = StridedIndex.RowsPerTask(_rowLength);
        _tasks = StridedIndex.Tasks(_y.Length / _rowLength, _rowsPerTask);
    }

    public override void Run(CpuContext ctx) => ctx.Workers.For(_tasks, this);

    public void Execute(int task, int worker)
    {
        var rows = _y.Length / _rowLength;
        var bytes = _rowLength * _elementSize;
        var first = task * _rowsPerTask;
        var end = Math.Min(rows, first + _rowsPerTask);
        for (var row = first; row < end; row++)
        {
            var src = _x.Data + (_firstOffset + StridedIndex.Offset(row, _outerDims, _outerSrc)) * _elementSize;
            Buffer.MemoryCopy(src, _y.Data + row * bytes, bytes, bytes);
        }
    }
}
