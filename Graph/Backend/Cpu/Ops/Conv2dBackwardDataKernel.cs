using System.Numerics;
using StaticGraph.Backend.Cpu.Kernels;

namespace StaticGraph.Backend.Cpu;

/// <summary>
/// Convolution input gradient: one task per fixed chunk of images, each computed by
/// <see cref="Conv2d.BackwardData{T}"/> with the worker's scratch. Images are independent, so the
/// result does not depend on the thread count.
/// </summary>
[CpuKernelFor(typeof(Conv2dBackwardDataOp))]
internal sealed unsafe class Conv2dBackwardDataKernel<T> : CpuKernel, IParallelBody
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly ConvGeometry _g;
    private readonly CpuTensor _dy, _w, _dx;
    private readonly int _chunks;
    private CpuContext? _context;

    public Conv2dBackwardDataKernel(CpuKernelArgs args)
    {
        var op = (Conv2dBackwardDataOp)args.Node.Op;
        (_dy, _w, _dx) = (args.Inputs[0], args.Inputs[1], args.Output);
        _g = Conv2dKernelGeometry.Of(op.InputShape, _w.Shape, op.Window, op.Groups);
        _chunks = Conv2dKernelGeometry.Chunks(_g);
        args.RequestScratchPerWorker(Conv2d.BackwardDataScratchElements<T>(_g) * sizeof(T));
    }

    public override void Run(CpuContext ctx)
    {
        _context = ctx;
        ctx.Workers.For(_chunks, this);
    }

    public void Execute(int task, int worker) => Backward(task, worker);

    private void Backward(int chunk, int worker)
    {
        var (start, end) = Conv2dKernelGeometry.ChunkRange(_g, chunk);
        Conv2d.BackwardData(_g, _dy.Ptr<T>(), _w.Ptr<T>(), _dx.Ptr<T>(), start, end, (T*)_context!.ScratchFor(worker));
    }
}
