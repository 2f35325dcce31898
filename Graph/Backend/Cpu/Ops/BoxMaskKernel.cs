using System.Numerics;

namespace StaticGraph.Backend.Cpu;

/// <summary>Box masks, one task per group of whole masks (a fixed partition, so the thread count cannot matter).</summary>
[CpuKernelFor(typeof(BoxMaskOp))]
internal sealed unsafe class BoxMaskKernel<T> : CpuKernel, IParallelBody
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly CpuTensor _boxes, _y;
    private readonly int _height, _width, _masks;
    private readonly long _masksPerTask;
    private readonly int _tasks;

    public BoxMaskKernel(CpuKernelArgs args)
    {
        var op = (BoxMaskOp)args.Node.Op;
        (_boxes, _y) = (args.Inputs[0], args.Output);
        (_height, _width, _masks) = (op.Height, op.Width, _boxes.Shape[0]);
        _masksPerTask = StridedIndex.RowsPerTask((long)_height * _width);
        _tasks = StridedIndex.Tasks(_masks, _masksPerTask);
    }

    public override void Run(CpuContext ctx) => ctx.Workers.For(_tasks, this);

    public void Execute(int task, int worker)
    {
        var end = Math.Min(_masks, (task + 1) * _masksPerTask);
        for (var m = task * _masksPerTask; m < end; m++) Mask(m);
    }

    private void Mask(long m)
    {
        var box = _boxes.Ptr<int>() + m * 4;
        int y0 = Math.Clamp(box[0], 0, _height), x0 = Math.Clamp(box[1], 0, _width);
        int y1 = Math.Clamp(box[2], 0, _height), x1 = Math.Clamp(box[3], 0, _width);
        var plane = new Span<T>(_y.Ptr<T>() + m * _height * _width, _height * _width);
        plane.Fill(T.One);
        if (y0 >= y1 || x0 >= x1) return;
        for (var y = y0; y < y1; y++) plane.Slice(y * _width + x0, x1 - x0).Fill(T.Zero);
    }
}
