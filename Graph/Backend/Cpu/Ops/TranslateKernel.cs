namespace StaticGraph.Backend.Cpu;

/// <summary>
/// Translation of the last two axes with zero fill. Each output row is zeros, a copy of part of
/// one input row, zeros; planes are split into fixed groups across workers. Elements move as raw
/// bytes, so every dtype is handled.
/// </summary>
[CpuKernelFor(typeof(TranslateOp))]
internal sealed unsafe class TranslateKernel : CpuKernel, IParallelBody
{
    private readonly CpuTensor _x, _offsets, _y;
    private readonly bool _inverse;
    private readonly int _height, _width, _elementSize;
    private readonly long _planes, _planesPerImage, _planesPerTask;
    private readonly int _tasks;

    public TranslateKernel(CpuKernelArgs args)
    {
        (_x, _offsets, _y) = (args.Inputs[0], args.Inputs[1], args.Output);
        _inverse = ((TranslateOp)args.Node.Op).Inverse;
        var shape = _x.Shape;
        (_height, _width) = (shape[^2], shape[^1]);
        _elementSize = _x.Type.DType.SizeInBytes();
        _planes = shape.Product(0, shape.Rank - 2);
        _planesPerImage = shape.Product(1, shape.Rank - 2);
        _planesPerTask = StridedIndex.RowsPerTask((long)_height * _width);
        _tasks = StridedIndex.Tasks(_planes, _planesPerTask);
    }

    public override void Run(CpuContext ctx) => ctx.Workers.For(_tasks, this);

    public void Execute(int task, int worker)
    {
        var rowBytes = (long)_width * _elementSize;
        var planeBytes = rowBytes * _height;
        var end = Math.Min(_planes, (task + 1) * _planesPerTask);
        for (var p = task * _planesPerTask; p < end; p++)
        {
            var image = p / _planesPerImage;
            var row = _offsets.Shape[0] == 1 ? 0 : image;
            long ty = _offsets.Ptr<int>()[row * 2], tx = _offsets.Ptr<int>()[row * 2 + 1];
            if (_inverse) (ty, tx) = (-ty, -tx);
            var src = _x.Data + p * planeBytes;
            var dst = _y.Data + p * planeBytes;
            // Output columns [c0, c1) read input columns [c0 - tx, c1 - tx).
            var c0 = Math.Clamp(tx, 0, _width);
            var c1 = Math.Clamp(_width + tx, 0, _width);
            for (long i = 0; i < _height; i++)
            {
                var outRow = new Span<byte>(dst + i * rowBytes, (int)rowBytes);
                var si = i - ty;
                if (si < 0 || si >= _height || c0 >= c1)
                {
                    outRow.Clear();
                    continue;
                }
                outRow[..(int)(c0 * _elementSize)].Clear();
                new ReadOnlySpan<byte>(src + si * rowBytes + (c0 - tx) * _elementSize, (int)((c1 - c0) * _elementSize))
                    .CopyTo(outRow[(int)(c0 * _elementSize)..]);
                outRow[(int)(c1 * _elementSize)..].Clear();
            }
        }
    }
}
