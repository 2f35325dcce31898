using System.Numerics;
using StaticGraph.Backend.Cpu.Kernels;

namespace StaticGraph.Backend.Cpu;

/// <summary>
/// Max-pooling input gradient, one task per fixed range of planes; each window's maximum is found
/// again from x (first maximum in row-major order on ties).
/// </summary>
[CpuKernelFor(typeof(MaxPool2dBackwardOp))]
internal sealed unsafe class MaxPool2dBackwardKernel<T> : CpuKernel, IParallelBody
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly PoolGeometry _g;
    private readonly CpuTensor _x, _dy, _dx;
    private readonly int _planesPerTask;

    public MaxPool2dBackwardKernel(CpuKernelArgs args)
    {
        var op = (MaxPool2dBackwardOp)args.Node.Op;
        (_x, _dy, _dx) = (args.Inputs[0], args.Inputs[1], args.Output);
        _g = Conv2dKernelGeometry.PoolOf(_x.Shape, op.Kernel, op.Window);
        _planesPerTask = Conv2dKernelGeometry.PlanesPerTask(_g);
    }

    public override void Run(CpuContext ctx) => ctx.Workers.For((_g.Planes + _planesPerTask - 1) / _planesPerTask, this);

    public void Execute(int task, int worker) => Backward(task);

    private void Backward(int task)
    {
        var start = task * _planesPerTask;
        Pooling.MaxPool2dBackward(_g, _x.Ptr<T>(), _dy.Ptr<T>(), _dx.Ptr<T>(), start, Math.Min(_g.Planes, start + _planesPerTask));
    }
}
