using System.Numerics;
using StaticGraph.Backend.Cpu.Kernels;

namespace StaticGraph.Backend.Cpu;

/// <summary>
/// Matrix product through <see cref="Gemm"/>, split into fixed blocks of output rows: each task
/// multiplies its rows of op(A) by the whole of op(B) into its rows of C. Gemm sums every output
/// over k in an order that does not depend on the blocking, so results are identical for any
/// number of threads. Gemm's packing scratch is requested per worker at compile time.
/// </summary>
[CpuKernelFor(typeof(MatMulOp))]
internal sealed unsafe class MatMulKernel<T> : CpuKernel, IParallelBody
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Multiply-adds a task should carry at least, so that scheduling stays a small cost.</summary>
    private const long MultiplyAddsPerTask = 1 << 18;

    /// <summary>Row blocks are multiples of this, a multiple of Gemm's register tile heights.</summary>
    private const int RowGranule = 8;

    /// <summary>Gemm blocks rows by 192 internally; larger tasks would gain nothing.</summary>
    private const int MaxRowsPerTask = 192;

    private readonly CpuTensor _a, _b, _c;
    private readonly bool _transposeA, _transposeB;
    private readonly int _m, _n, _k, _rowsPerTask, _tasks;
    private CpuContext? _context;

    public MatMulKernel(CpuKernelArgs args)
    {
        var op = (MatMulOp)args.Node.Op;
        (_a, _b, _c) = (args.Inputs[0], args.Inputs[1], args.Output);
        (_transposeA, _transposeB) = (op.TransposeA, op.TransposeB);
        (_m, _n) = (_c.Shape[0], _c.Shape[1]);
        _k = _transposeA ? _a.Shape[0] : _a.Shape[1];
        var rows = (int)Math.Clamp(MultiplyAddsPerTask / ((long)_n * _k), 1, MaxRowsPerTask);
        _rowsPerTask = Math.Min(_m, (rows + RowGranule - 1) / RowGranule * RowGranule);
        _tasks = (_m + _rowsPerTask - 1) / _rowsPerTask;
        args.RequestScratchPerWorker(Gemm.MultiplyScratchElements<T>(_rowsPerTask, _n, _k) * sizeof(T));
    }

    public override void Run(CpuContext ctx)
    {
        _context = ctx;
        ctx.Workers.For(_tasks, this);
    }

    public void Execute(int task, int worker) => MultiplyRows(task, worker);

    private void MultiplyRows(int task, int worker)
    {
        var first = task * _rowsPerTask;
        var rows = Math.Min(_rowsPerTask, _m - first);
        // Stored A is [m, k], or [k, m] when transposed: then op(A)'s rows are A's columns.
        var lda = _transposeA ? _m : _k;
        var a = _a.Ptr<T>() + (_transposeA ? first : (long)first * _k);
        var ldb = _transposeB ? _k : _n;
        var scratch = (T*)_context!.ScratchFor(worker);
        Gemm.Multiply(_transposeA, _transposeB, rows, _n, _k, a, lda, _b.Ptr<T>(), ldb, _c.Ptr<T>() + (long)first * _n, _n, false, scratch);
    }
}
