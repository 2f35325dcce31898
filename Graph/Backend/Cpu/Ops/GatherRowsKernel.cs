namespace StaticGraph.Backend.Cpu;

/// <summary>
/// Copies rows picked by index. Indices are checked on the calling thread before any copy, so a
/// bad one fails with a plain exception naming its position; rows are then split into fixed groups
/// across workers. Elements move as raw bytes, so every dtype is handled.
/// </summary>
[CpuKernelFor(typeof(GatherRowsOp))]
internal sealed unsafe class GatherRowsKernel : CpuKernel, IParallelBody
{
    private readonly Node _node;
    private readonly CpuTensor _x, _indices, _y;
    private readonly long _rowBytes, _rowsPerTask;
    private readonly int _tasks;

    public GatherRowsKernel(CpuKernelArgs args)
    {
        _node = args.Node;
        (_x, _indices, _y) = (args.Inputs[0], args.Inputs[1], args.Output);
        var rowLength = _x.Shape.Product(1, _x.Shape.Rank);
        _rowBytes = rowLength * _x.Type.DType.SizeInBytes();
        _rowsPerTask = StridedIndex.RowsPerTask(rowLength);
        _tasks = StridedIndex.Tasks(_indices.Length, _rowsPerTask);
    }

    public override void Run(CpuContext ctx)
    {
        CheckRowIndices(_node, _indices, _x.Shape[0]);
        ctx.Workers.For(_tasks, this);
    }

    public void Execute(int task, int worker)
    {
        var idx = _indices.Ptr<int>();
        var first = task * _rowsPerTask;
        var end = Math.Min(_indices.Length, first + _rowsPerTask);
        for (var i = first; i < end; i++)
            Buffer.MemoryCopy(_x.Data + idx[i] * _rowBytes, _y.Data + i * _rowBytes, _rowBytes, _rowBytes);
    }

    /// <summary>Fails on the first index outside [0, <paramref name="rows"/>), naming its position and value.</summary>
    internal static void CheckRowIndices(Node node, CpuTensor indices, int rows)
    {
        var idx = indices.Ptr<int>();
        for (long i = 0; i < indices.Length; i++)
        {
            if ((uint)idx[i] >= (uint)rows)
                throw new IndexOutOfRangeException($"{GraphPrinter.Line(node)}: row index {idx[i]} at position {i} is outside [0, {rows})");
        }
    }
}
