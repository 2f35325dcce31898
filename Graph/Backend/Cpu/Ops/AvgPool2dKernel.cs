using System.Numerics;
using StaticGraph.Backend.Cpu.Kernels;

namespace StaticGraph.Backend.Cpu;

/// <summary>Average pooling (padding counted in the divisor), one task per fixed range of planes.</summary>
[CpuKernelFor(typeof(AvgPool2dOp))]
internal sealed unsafe class AvgPool2dKernel : CpuKernel, IParallelBody
{
    private readonly PoolGeometry _g;
    private readonly CpuTensor _x, _y;
    private readonly int _planesPerTask;

    public AvgPool2dKernel(CpuKernelArgs args)
    {
        var op = (AvgPool2dOp)args.Node.Op;
        (_x, _y) = (args.Inputs[0], args.Output);
        _g = Conv2dKernelGeometry.PoolOf(_x.Shape, op.Kernel, op.Window);
        _planesPerTask = Conv2dKernelGeometry.PlanesPerTask(_g);
    }

    public override void Run(CpuContext ctx) => ctx.Workers.For((_g.Planes + _planesPerTask - 1) / _planesPerTask, this);

    public void Execute(int task, int worker)
    {
        if (_y.Type.DType == DType.F32) Pool<float>(task);
        else Pool<double>(task);
    }

    private void Pool<T>(int task) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var start = task * _planesPerTask;
        Pooling.AvgPool2dForward(_g, _x.Ptr<T>(), _y.Ptr<T>(), start, Math.Min(_g.Planes, start + _planesPerTask));
    }
}
