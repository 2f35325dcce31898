namespace StaticGraph.Backend.Cpu;

/// <summary>
/// Writes each output row once: rows outside the input's box are all padding; rows inside it are
/// padding, a copy of the input row, padding. An axis without padding merges into the axis before
/// it, so rows are as long as possible. Elements move as raw bits, so f32, f64 and i32 work alike.
/// </summary>
[CpuKernelFor(typeof(PadOp))]
internal sealed unsafe class PadKernel : CpuKernel, IParallelBody
{
    private readonly CpuTensor _x, _y;
    private readonly int _elementSize;
    private readonly uint _fill32;
    private readonly ulong _fill64;

    // Merged axes, outermost first: input size, padding before, output size, stride in the input.
    private readonly long[] _sizes, _before, _outSizes, _srcStrides;
    private readonly long _rowsPerTask;
    private readonly int _tasks;

    public PadKernel(CpuKernelArgs args)
    {
        var op = (PadOp)args.Node.Op;
        (_x, _y) = (args.Inputs[0], args.Output);
        _elementSize = _y.Type.DType.SizeInBytes();
        (_fill32, _fill64) = _y.Type.DType switch
        {
            DType.F32 => (BitConverter.SingleToUInt32Bits((float)op.Value), 0UL),
            DType.F64 => (0U, BitConverter.DoubleToUInt64Bits(op.Value)),
            DType.I32 => ((uint)(int)op.Value, 0UL),
            _ => throw new NotSupportedException($"the CPU backend does not pad {_y.Type.DType.ShortName()} tensors"),
        };

        // Merged axes from the innermost out: (input size, before, after).
        var axes = new List<(long Size, long Before, long After)>();
        for (var a = _x.Shape.Rank - 1; a >= 0; a--)
        {
            (long size, long before, long after) = (_x.Shape[a], op.Before[a], op.After[a]);
            if (axes.Count > 0 && axes[^1].Before == 0 && axes[^1].After == 0)
            {
                var inner = axes[^1].Size;
                axes[^1] = (size * inner, before * inner, after * inner);
            }
            else axes.Add((size, before, after));
        }
        if (axes.Count == 0) axes.Add((1, 0, 0));
        axes.Reverse();

        _sizes = axes.Select(a => a.Size).ToArray();
        _before = axes.Select(a => a.Before).ToArray();
        _outSizes = axes.Select(a => a.Before + a.Size + a.After).ToArray();
        _srcStrides = StridedIndex.Contiguous(_sizes);
        _rowsPerTask = StridedIndex.RowsPerTask(_outSizes[^1]);
        _tasks = StridedIndex.Tasks(_y.Length / _outSizes[^1], _rowsPerTask);
    }

    public override void Run(CpuContext ctx) => ctx.Workers.For(_tasks, this);

    public void Execute(int task, int worker)
    {
        if (_elementSize == 4) PadRows(task, _fill32);
        else PadRows(task, _fill64);
    }

    private void PadRows<T>(int task, T fill) where T : unmanaged
    {
        var inner = _sizes.Length - 1;
        long rowLength = _outSizes[inner], before = _before[inner], copied = _sizes[inner];
        var rows = _y.Length / rowLength;
        var first = task * _rowsPerTask;
        var end = Math.Min(rows, first + _rowsPerTask);
        T* x = _x.Ptr<T>(), y = _y.Ptr<T>();
        for (var row = first; row < end; row++)
        {
            var dst = new Span<T>(y + row * rowLength, (int)rowLength);
            if (SourceRow(row) is not { } src)
            {
                dst.Fill(fill);
                continue;
            }
            dst[..(int)before].Fill(fill);
            new ReadOnlySpan<T>(x + src, (int)copied).CopyTo(dst.Slice((int)before, (int)copied));
            dst[(int)(before + copied)..].Fill(fill);
        }
    }

    /// <summary>The input offset of output row <paramref name="row"/>, or null when the row is all padding.</summary>
    private long? SourceRow(long row)
    {
        long offset = 0;
        for (var d = _sizes.Length - 2; d >= 0; d--)
        {
            var inside = row % _outSizes[d] - _before[d];
            row /= _outSizes[d];
            if (inside < 0 || inside >= _sizes[d]) return null;
            offset += inside * _srcStrides[d];
        }
        return offset;
    }
}
