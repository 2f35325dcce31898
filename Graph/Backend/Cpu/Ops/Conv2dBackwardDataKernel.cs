using System.Numerics;
using StaticGraph.Backend.Cpu.Kernels;

namespace StaticGraph.Backend.Cpu;

/// <summary>
/// Convolution input gradient: one task per fixed chunk of images, each computed by
/// <see cref="Conv2d.BackwardDataPrepared{T}"/> with the worker's scratch. Images are independent, so the
/// result does not depend on the thread count. The filters are prepared once per run, into the executable's shared
/// scratch, for every chunk.
/// </summary>
[CpuKernelFor(typeof(Conv2dBackwardDataOp))]
internal sealed unsafe class Conv2dBackwardDataKernel<T> : CpuKernel, IParallelBody
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly ConvGeometry _g;
    private readonly CpuTensor _dy, _w, _dx;
    private readonly int _chunks, _imagesPerChunk;
    private CpuContext? _context;

    public Conv2dBackwardDataKernel(CpuKernelArgs args)
    {
        var op = (Conv2dBackwardDataOp)args.Node.Op;
        (_dy, _w, _dx) = (args.Inputs[0], args.Inputs[1], args.Output);
        _g = Conv2dKernelGeometry.Of(op.InputShape, _w.Shape, op.Window, op.Groups);
        _imagesPerChunk = Conv2dKernelGeometry.ImagesPerChunkOf(_g);
        _chunks = Conv2dKernelGeometry.Chunks(_g, _imagesPerChunk);
        args.RequestScratchPerWorker(Conv2d.BackwardDataPreparedScratchElements<T>(_g) * sizeof(T));
        args.RequestSharedScratch(Conv2d.BackwardDataFilterElements<T>(_g) * sizeof(T));
    }

    public override void Run(CpuContext ctx)
    {
        _context = ctx;
        Conv2d.PrepareBackwardDataFilter(_g, _w.Ptr<T>(), (T*)ctx.SharedScratch);
        ctx.Workers.For(_chunks, this);
    }

    public void Execute(int task, int worker) => Backward(task, worker);

    private void Backward(int chunk, int worker)
    {
        var (start, end) = Conv2dKernelGeometry.ChunkRange(_g, chunk, _imagesPerChunk);
        Conv2d.BackwardDataPrepared(_g, _dy.Ptr<T>(), (T*)_context!.SharedScratch, _dx.Ptr<T>(), start, end, (T*)_context.ScratchFor(worker));
    }
}
