using System.Numerics;
using StaticGraph.Backend.Cpu.Kernels;

namespace StaticGraph.Backend.Cpu;

/// <summary>
/// Forward convolution: one task per fixed chunk of images, each lowered by
/// <see cref="Conv2d.ForwardPrepared{T}"/> with the worker's scratch. Every output value is a fixed-order
/// sum, so the result does not depend on the thread count.
/// </summary>
/// <remarks>
/// The filters are prepared (packed, or Winograd-transformed) once per run, into the executable's shared scratch, for
/// every chunk. An input that is not stored (<see cref="CpuFusionPlan"/>: the ReLU of a batch norm) is recomputed per
/// chunk into the worker's scratch, where it stays in cache for the product that reads it at once.
/// </remarks>
[CpuKernelFor(typeof(Conv2dOp))]
internal sealed unsafe class Conv2dKernel<T> : CpuKernel, IParallelBody
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly ConvGeometry _g;
    private readonly CpuTensor _x, _w, _y;
    private readonly ChunkInput<T> _input;
    private readonly int _chunks, _imagesPerChunk;
    private CpuContext? _context;

    public Conv2dKernel(CpuKernelArgs args)
    {
        var op = (Conv2dOp)args.Node.Op;
        (_x, _w, _y) = (args.Inputs[0], args.Inputs[1], args.Output);
        _g = Conv2dKernelGeometry.Of(_x.Shape, _w.Shape, op.Window, op.Groups);
        _imagesPerChunk = Conv2dKernelGeometry.ImagesPerChunkOf(_g);
        _chunks = Conv2dKernelGeometry.Chunks(_g, _imagesPerChunk);
        _input = new ChunkInput<T>(_x, args.InputRows[0], _imagesPerChunk);
        args.RequestScratchPerWorker(Conv2d.ForwardPreparedScratchElements<T>(_g) * sizeof(T) + _input.ScratchBytes);
        args.RequestSharedScratch(Conv2d.ForwardFilterElements<T>(_g) * sizeof(T));
    }

    public override void Run(CpuContext ctx)
    {
        _context = ctx;
        Conv2d.PrepareForwardFilter(_g, _w.Ptr<T>(), (T*)ctx.SharedScratch);
        ctx.Workers.For(_chunks, this);
    }

    public void Execute(int task, int worker) => Forward(task, worker);

    private void Forward(int chunk, int worker)
    {
        var (start, end) = Conv2dKernelGeometry.ChunkRange(_g, chunk, _imagesPerChunk);
        var scratch = _context!.ScratchFor(worker);
        T* x = _input.Images(start, end, scratch);
        Conv2d.ForwardPrepared(_g, x, (T*)_context.SharedScratch, _y.Ptr<T>(), start, end, (T*)(scratch + _input.ScratchBytes));
    }
}
