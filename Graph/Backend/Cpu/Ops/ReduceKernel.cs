using System.Numerics;
using System.Numerics.Tensors;

namespace StaticGraph.Backend.Cpu;

/// <summary>
/// Sum, mean and max over axes. Dimensions are merged into alternating kept and reduced groups;
/// each output element reduces its inputs in a fixed order, and outputs are split into fixed
/// chunks, so the result does not depend on the thread count.
/// </summary>
[CpuKernelFor(typeof(ReduceOp))]
internal sealed unsafe class ReduceKernel<T> : CpuKernel, IParallelBody
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private const int OutputsPerTask = 64;
    private readonly ReduceFunction _fn;
    private readonly CpuTensor _x, _y;
    private readonly long[] _keptDims, _keptStrides, _reducedDims, _reducedStrides;
    private readonly long _reducedCount;

    public ReduceKernel(CpuKernelArgs args)
    {
        var op = (ReduceOp)args.Node.Op;
        (_fn, _x, _y) = (op.Function, args.Inputs[0], args.Output);
        var shape = _x.Shape;
        var axes = op.NormalisedAxes(shape);
        var strides = shape.Strides();
        var kept = new List<(long Dim, long Stride)>();
        var reduced = new List<(long Dim, long Stride)>();
        for (var i = 0; i < shape.Rank; i++)
        {
            var list = Array.IndexOf(axes, i) >= 0 ? reduced : kept;
            // Merge with the previous dimension of the same group when contiguous with it.
            if (list.Count > 0 && list[^1].Stride == strides[i] * shape[i] && IsAdjacent(axes, i))
                list[^1] = (list[^1].Dim * shape[i], strides[i]);
            else list.Add((shape[i], strides[i]));
        }
        _keptDims = kept.Select(k => k.Dim).ToArray();
        _keptStrides = kept.Select(k => k.Stride).ToArray();
        _reducedDims = reduced.Select(r => r.Dim).ToArray();
        _reducedStrides = reduced.Select(r => r.Stride).ToArray();
        _reducedCount = _reducedDims.Aggregate(1L, (a, d) => a * d);
    }

    public override void Run(CpuContext ctx) => ctx.Workers.For((int)((_y.Length + OutputsPerTask - 1) / OutputsPerTask), this);

    public void Execute(int task, int worker) => Reduce(task);

    private static bool IsAdjacent(int[] axes, int i) => (Array.IndexOf(axes, i) >= 0) == (Array.IndexOf(axes, i - 1) >= 0);

    private void Reduce(int task)
    {
        var first = (long)task * OutputsPerTask;
        var last = Math.Min(_y.Length, first + OutputsPerTask);
        var x = _x.Ptr<T>();
        var y = _y.Ptr<T>();
        var scale = T.One / T.CreateChecked(_reducedCount);
        for (var o = first; o < last; o++)
        {
            var value = ReduceOne(x + Offset(o, _keptDims, _keptStrides));
            y[o] = _fn == ReduceFunction.Mean ? value * scale : value;
        }
    }

    private T ReduceOne(T* start)
    {
        var innerDim = _reducedDims[^1];
        var innerStride = _reducedStrides[^1];
        var outer = _reducedCount / innerDim;
        var acc = _fn == ReduceFunction.Max ? T.NegativeInfinity : T.Zero;
        for (long r = 0; r < outer; r++)
        {
            var p = start + Offset(r, _reducedDims.AsSpan(0, _reducedDims.Length - 1), _reducedStrides);
            T part;
            if (innerStride == 1)
            {
                var span = new ReadOnlySpan<T>(p, (int)innerDim);
                part = _fn == ReduceFunction.Max ? TensorPrimitives.Max(span) : TensorPrimitives.Sum(span);
            }
            else
            {
                part = _fn == ReduceFunction.Max ? T.NegativeInfinity : T.Zero;
                for (long i = 0; i < innerDim; i++)
                    part = _fn == ReduceFunction.Max ? T.Max(part, p[i * innerStride]) : part + p[i * innerStride];
            }
            acc = _fn == ReduceFunction.Max ? T.Max(acc, part) : acc + part;
        }
        return acc;
    }

    /// <summary>The element offset of linear index <paramref name="index"/> over dims with strides.</summary>
    private static long Offset(long index, ReadOnlySpan<long> dims, long[] strides)
    {
        long offset = 0;
        for (var d = dims.Length - 1; d >= 0; d--)
        {
            offset += index % dims[d] * strides[d];
            index /= dims[d];
        }
        return offset;
    }
}
