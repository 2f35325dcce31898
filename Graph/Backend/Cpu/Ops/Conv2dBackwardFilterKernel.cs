using System.Numerics;
using System.Numerics.Tensors;
using StaticGraph.Backend.Cpu.Kernels;

namespace StaticGraph.Backend.Cpu;

/// <summary>
/// Convolution filter gradient, deterministic for any thread count: the batch is split into fixed
/// chunks of images; each chunk's task writes the filter gradient of its images into its own
/// partial buffer (chunk 0 straight into dw), then the partials are added to dw in chunk order,
/// in parallel over fixed blocks of dw's elements.
/// </summary>
/// <remarks>
/// The partial buffers live in the executable's shared scratch (<see cref="CpuKernelArgs.RequestSharedScratch"/>):
/// they are needed only while this kernel runs, so every kernel of the program uses the same block, allocated once,
/// rather than each holding its own for the whole run. They are kept under <see cref="PartialBudgetBytes"/> by giving
/// large filters larger chunks; the chunk size depends only on the shapes, never on the thread count. An input that is
/// not stored (<see cref="CpuFusionPlan"/>) is recomputed per chunk into the worker's scratch.
/// </remarks>
[CpuKernelFor(typeof(Conv2dBackwardFilterOp))]
internal sealed unsafe class Conv2dBackwardFilterKernel<T> : CpuKernel, IParallelBody
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>The most memory one kernel's partial filter gradients may take.</summary>
    private const long PartialBudgetBytes = 64L << 20;

    private readonly ConvGeometry _g;
    private readonly CpuTensor _x, _dy, _dw;
    private readonly int _imagesPerChunk, _chunks;
    private readonly long _weightBytes, _partialStride;
    private readonly PartialSum _sum;
    private readonly ChunkInput<T> _input;
    private CpuContext? _context;

    public Conv2dBackwardFilterKernel(CpuKernelArgs args)
    {
        var op = (Conv2dBackwardFilterOp)args.Node.Op;
        (_x, _dy, _dw) = (args.Inputs[0], args.Inputs[1], args.Output);
        _g = Conv2dKernelGeometry.Of(_x.Shape, op.FilterShape, op.Window, op.Groups);
        _weightBytes = _dw.Type.SizeInBytes;
        var maxChunks = 1 + PartialBudgetBytes / _weightBytes;
        _imagesPerChunk = (int)Math.Max(Conv2dKernelGeometry.ImagesPerChunk, (_g.Batch + maxChunks - 1) / maxChunks);
        _chunks = Conv2dKernelGeometry.Chunks(_g, _imagesPerChunk);
        // Each partial starts on a cache line, so that vector stores of neighbouring chunks never share one.
        _partialStride = (_weightBytes + 63) / 64 * 64;
        args.RequestSharedScratch((_chunks - 1) * _partialStride);
        _sum = new PartialSum(this);
        _input = new ChunkInput<T>(_x, args.InputRows[0], _imagesPerChunk);
        args.RequestScratchPerWorker(Conv2d.BackwardFilterScratchElements<T>(_g) * sizeof(T) + _input.ScratchBytes);
    }

    public override void Run(CpuContext ctx)
    {
        _context = ctx;
        ctx.Workers.For(_chunks, this);
        if (_chunks > 1) ctx.Workers.For(_sum.Tasks, _sum);
    }

    public void Execute(int task, int worker) => ChunkGradient(task, worker);

    /// <summary>Where chunk <paramref name="chunk"/>'s gradient goes: dw itself for chunk 0, else its partial buffer.</summary>
    private byte* Destination(int chunk) => chunk == 0 ? _dw.Data : _context!.SharedScratch + (chunk - 1) * _partialStride;

    private void ChunkGradient(int chunk, int worker)
    {
        var (start, end) = Conv2dKernelGeometry.ChunkRange(_g, chunk, _imagesPerChunk);
        var scratch = _context!.ScratchFor(worker);
        T* x = _input.Images(start, end, scratch);
        Conv2d.BackwardFilter(_g, x, _dy.Ptr<T>(), (T*)Destination(chunk), start, end, (T*)(scratch + _input.ScratchBytes));
    }

    /// <summary>Adds the partials of chunks 1, 2, ... to dw in that order, one task per block of dw.</summary>
    private sealed class PartialSum(Conv2dBackwardFilterKernel<T> kernel) : IParallelBody
    {
        private const int ElementsPerTask = 4096;

        private readonly long _elements = kernel._dw.Length;

        public int Tasks => (int)((_elements + ElementsPerTask - 1) / ElementsPerTask);

        public void Execute(int task, int worker) => AddPartials(task);

        private void AddPartials(int task)
        {
            var first = (long)task * ElementsPerTask;
            var count = (int)Math.Min(ElementsPerTask, _elements - first);
            var sum = new Span<T>(kernel._dw.Ptr<T>() + first, count);
            for (var chunk = 1; chunk < kernel._chunks; chunk++)
                TensorPrimitives.Add(sum, new ReadOnlySpan<T>((T*)kernel.Destination(chunk) + first, count), sum);
        }
    }
}
