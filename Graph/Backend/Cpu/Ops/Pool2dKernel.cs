using System.Numerics;
using StaticGraph.Backend.Cpu.Kernels;

namespace StaticGraph.Backend.Cpu;

/// <summary>Max or average pooling (padding counted in the divisor), one task per fixed range of (image, channel) planes.</summary>
[CpuKernelFor(typeof(MaxPool2dOp))]
[CpuKernelFor(typeof(AvgPool2dOp))]
internal sealed unsafe class Pool2dKernel<T> : CpuKernel, IParallelBody
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly PoolGeometry _g;
    private readonly CpuTensor _x, _y;
    private readonly int _planesPerTask;
    private readonly bool _max;

    public Pool2dKernel(CpuKernelArgs args)
    {
        (_x, _y) = (args.Inputs[0], args.Output);
        (_g, _max) = args.Node.Op switch
        {
            MaxPool2dOp m => (Conv2dKernelGeometry.PoolOf(_x.Shape, m.Kernel, m.Window), true),
            AvgPool2dOp a => (Conv2dKernelGeometry.PoolOf(_x.Shape, a.Kernel, a.Window), false),
            var other => throw new NotSupportedException($"no pooling kernel for {other.Name}"),
        };
        _planesPerTask = Conv2dKernelGeometry.PlanesPerTask(_g);
    }

    public override void Run(CpuContext ctx) => ctx.Workers.For((_g.Planes + _planesPerTask - 1) / _planesPerTask, this);

    public void Execute(int task, int worker) => Pool(task);

    private void Pool(int task)
    {
        var start = task * _planesPerTask;
        var end = Math.Min(_g.Planes, start + _planesPerTask);
        if (_max) Pooling.MaxPool2dForward(_g, _x.Ptr<T>(), _y.Ptr<T>(), start, end);
        else Pooling.AvgPool2dForward(_g, _x.Ptr<T>(), _y.Ptr<T>(), start, end);
    }
}
