using System.Numerics;
using StaticGraph.Backend.Cpu.Kernels;

namespace StaticGraph.Backend.Cpu;

/// <summary>
/// Forward convolution: one task per fixed chunk of images, each lowered by
/// <see cref="Conv2d.Forward{T}"/> with the worker's scratch. Every output value is a fixed-order
/// sum, so the result does not depend on the thread count.
/// </summary>
/// <remarks>
/// An input that is not stored (<see cref="CpuFusionPlan"/>: the ReLU of a batch norm) is recomputed per chunk into the
/// worker's scratch, where it stays in cache for the product that reads it at once.
/// </remarks>
[CpuKernelFor(typeof(Conv2dOp))]
internal sealed unsafe class Conv2dKernel<T> : CpuKernel, IParallelBody
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly ConvGeometry _g;
    private readonly CpuTensor _x, _w, _y;
    private readonly ChunkInput<T> _input;
    private readonly int _chunks;
    private CpuContext? _context;

    public Conv2dKernel(CpuKernelArgs args)
    {
        var op = (Conv2dOp)args.Node.Op;
        (_x, _w, _y) = (args.Inputs[0], args.Inputs[1], args.Output);
        _g = Conv2dKernelGeometry.Of(_x.Shape, _w.Shape, op.Window, op.Groups);
        _chunks = Conv2dKernelGeometry.Chunks(_g);
        _input = new ChunkInput<T>(_x, args.InputRows[0], Conv2dKernelGeometry.ImagesPerChunk);
        args.RequestScratchPerWorker(Conv2d.ForwardScratchElements<T>(_g) * sizeof(T) + _input.ScratchBytes);
    }

    public override void Run(CpuContext ctx)
    {
        _context = ctx;
        ctx.Workers.For(_chunks, this);
    }

    public void Execute(int task, int worker) => Forward(task, worker);

    private void Forward(int chunk, int worker)
    {
        var (start, end) = Conv2dKernelGeometry.ChunkRange(_g, chunk);
        var scratch = _context!.ScratchFor(worker);
        T* x = _input.Images(start, end, scratch);
        Conv2d.Forward(_g, x, _w.Ptr<T>(), _y.Ptr<T>(), start, end, (T*)(scratch + _input.ScratchBytes));
    }
}
