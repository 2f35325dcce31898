using System.Numerics;
using StaticGraph.Backend.Cpu.Kernels;

namespace StaticGraph.Backend.Cpu;

/// <summary>Average-pooling input gradient, one task per fixed range of planes.</summary>
[CpuKernelFor(typeof(AvgPool2dBackwardOp))]
internal sealed unsafe class AvgPool2dBackwardKernel<T> : CpuKernel, IParallelBody
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly PoolGeometry _g;
    private readonly CpuTensor _dy, _dx;
    private readonly int _planesPerTask;

    public AvgPool2dBackwardKernel(CpuKernelArgs args)
    {
        var op = (AvgPool2dBackwardOp)args.Node.Op;
        (_dy, _dx) = (args.Inputs[0], args.Output);
        _g = Conv2dKernelGeometry.PoolOf(op.InputShape, op.Kernel, op.Window);
        _planesPerTask = Conv2dKernelGeometry.PlanesPerTask(_g);
    }

    public override void Run(CpuContext ctx) => ctx.Workers.For((_g.Planes + _planesPerTask - 1) / _planesPerTask, this);

    public void Execute(int task, int worker) => Backward(task);

    private void Backward(int task)
    {
        var start = task * _planesPerTask;
        Pooling.AvgPool2dBackward(_g, _dy.Ptr<T>(), _dx.Ptr<T>(), start, Math.Min(_g.Planes, start + _planesPerTask));
    }
}
