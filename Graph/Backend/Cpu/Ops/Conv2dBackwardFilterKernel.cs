using System.Numerics;
using System.Numerics.Tensors;
using StaticGraph.Backend.Cpu.Kernels;

namespace StaticGraph.Backend.Cpu;

/// <summary>
/// Convolution filter gradient, deterministic for any thread count: the batch is split into fixed
/// chunks of images; each chunk's task writes the partial gradient of its images into its own
/// buffer (<see cref="Conv2d.BackwardFilterPartial{T}"/>: the gradient itself, chunk 0's straight into dw, or its
/// Winograd points), then the partials are added in chunk order, in parallel over fixed blocks of elements, and,
/// for Winograd points, turned into dw in parallel over fixed blocks of channel pairs.
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

    /// <summary>Channel pairs per task of the Winograd finish.</summary>
    private const int PairsPerTask = 256;

    private readonly ConvGeometry _g;
    private readonly CpuTensor _x, _dy, _dw;
    private readonly int _imagesPerChunk, _chunks;
    private readonly long _partialElements, _partialStride;
    private readonly bool _firstIntoDw;
    private readonly PartialSum _sum;
    private readonly Finish _finish;
    private readonly ChunkInput<T> _input;
    private CpuContext? _context;

    public Conv2dBackwardFilterKernel(CpuKernelArgs args)
    {
        var op = (Conv2dBackwardFilterOp)args.Node.Op;
        (_x, _dy, _dw) = (args.Inputs[0], args.Inputs[1], args.Output);
        _g = Conv2dKernelGeometry.Of(_x.Shape, op.FilterShape, op.Window, op.Groups);
        _partialElements = Conv2d.BackwardFilterPartialElements<T>(_g);
        // A partial of the gradient's own layout for chunk 0 is dw itself; Winograd points are finished into dw at the end.
        _firstIntoDw = !WinogradTiles.AppliesToFilterGradient<T>(_g);
        // Each partial starts on a cache line, so that vector stores of neighbouring chunks never share one.
        _partialStride = (_partialElements * sizeof(T) + 63) / 64 * 64 / sizeof(T);
        var maxChunks = 1 + PartialBudgetBytes / (_partialStride * sizeof(T));
        _imagesPerChunk = (int)Math.Max(Conv2dKernelGeometry.ImagesPerChunkOf(_g), (_g.Batch + maxChunks - 1) / maxChunks);
        _chunks = Conv2dKernelGeometry.Chunks(_g, _imagesPerChunk);
        args.RequestSharedScratch((_firstIntoDw ? _chunks - 1 : _chunks) * _partialStride * sizeof(T));
        _sum = new PartialSum(this);
        _finish = new Finish(this);
        _input = new ChunkInput<T>(_x, args.InputRows[0], _imagesPerChunk);
        args.RequestScratchPerWorker(Conv2d.BackwardFilterPartialScratchElements<T>(_g) * sizeof(T) + _input.ScratchBytes);
    }

    public override void Run(CpuContext ctx)
    {
        _context = ctx;
        ctx.Workers.For(_chunks, this);
        if (_chunks > 1) ctx.Workers.For(_sum.Tasks, _sum);
        if (!_firstIntoDw) ctx.Workers.For(_finish.Tasks, _finish);
    }

    public void Execute(int task, int worker) => ChunkGradient(task, worker);

    /// <summary>Where chunk <paramref name="chunk"/>'s partial goes: dw itself for chunk 0 when it has dw's layout, else shared scratch.</summary>
    private T* Destination(int chunk) =>
        _firstIntoDw ? chunk == 0 ? _dw.Ptr<T>() : (T*)_context!.SharedScratch + (chunk - 1) * _partialStride
            : (T*)_context!.SharedScratch + chunk * _partialStride;

    private void ChunkGradient(int chunk, int worker)
    {
        var (start, end) = Conv2dKernelGeometry.ChunkRange(_g, chunk, _imagesPerChunk);
        var scratch = _context!.ScratchFor(worker);
        T* x = _input.Images(start, end, scratch);
        Conv2d.BackwardFilterPartial(_g, x, _dy.Ptr<T>(), Destination(chunk), start, end, (T*)(scratch + _input.ScratchBytes));
    }

    /// <summary>Adds the partials of chunks 1, 2, ... to chunk 0's in that order, one task per block of elements.</summary>
    private sealed class PartialSum(Conv2dBackwardFilterKernel<T> kernel) : IParallelBody
    {
        private const int ElementsPerTask = 4096;

        public int Tasks => (int)((kernel._partialElements + ElementsPerTask - 1) / ElementsPerTask);

        public void Execute(int task, int worker) => AddPartials(task);

        private void AddPartials(int task)
        {
            var first = (long)task * ElementsPerTask;
            var count = (int)Math.Min(ElementsPerTask, kernel._partialElements - first);
            var sum = new Span<T>(kernel.Destination(0) + first, count);
            for (var chunk = 1; chunk < kernel._chunks; chunk++)
                TensorPrimitives.Add(sum, new ReadOnlySpan<T>(kernel.Destination(chunk) + first, count), sum);
        }
    }

    /// <summary>Turns the summed Winograd points into dw, one task per block of channel pairs.</summary>
    private sealed class Finish(Conv2dBackwardFilterKernel<T> kernel) : IParallelBody
    {
        private readonly int _pairs = Conv2d.BackwardFilterPairs(kernel._g);

        public int Tasks => (_pairs + PairsPerTask - 1) / PairsPerTask;

        public void Execute(int task, int worker) =>
            Conv2d.FinishBackwardFilter(kernel._g, kernel.Destination(0), kernel._dw.Ptr<T>(), task * PairsPerTask, Math.Min(_pairs, (task + 1) * PairsPerTask));
    }
}
