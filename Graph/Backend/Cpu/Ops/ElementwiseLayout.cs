namespace StaticGraph.Backend.Cpu;

/// <summary>
/// The iteration layout of a broadcasting elementwise op: output dimensions with each operand's
/// element strides (0 along broadcast axes), adjacent dimensions merged where every operand stays
/// contiguous across them, so that the innermost loop is as long as possible.
/// </summary>
internal sealed class ElementwiseLayout
{
    /// <summary>Elements of work per parallel task: a fixed partition, independent of the thread count.</summary>
    public const int ElementsPerTask = 1 << 15;

    /// <summary>Tasks of <see cref="ElementsPerTask"/> elements covering <paramref name="length"/> elements.</summary>
    public static int ChunkCount(long length) => (int)((length + ElementsPerTask - 1) / ElementsPerTask);

    public ElementwiseLayout(Shape output, params Shape[] operands)
    {
        var rank = output.Rank;
        var dims = output.ToArray().ToList();
        var strides = operands.Select(s => BroadcastStrides(s, output)).ToList();
        // Merge dimension i into i+1 when every operand's stride pattern allows treating them as one.
        for (var i = dims.Count - 2; i >= 0; i--)
        {
            var canMerge = strides.All(st => st[i] == st[i + 1] * dims[i + 1] || (st[i] == 0 && st[i + 1] == 0));
            if (!canMerge) continue;
            dims[i + 1] *= dims[i];
            dims.RemoveAt(i);
            foreach (var st in strides) st.RemoveAt(i);
        }
        if (rank == 0)
        {
            dims.Add(1);
            foreach (var st in strides) st.Add(0);
        }
        // Operands of the same shape merge into one row of the whole tensor, which would be one task on one thread:
        // such a row is cut into rows of a length that divides it, close to a task's worth, so tasks spread over threads.
        if (dims[^1] > ElementsPerTask && RowLengthDividing(dims[^1]) is var length and > 0)
        {
            dims[^1] /= length;
            dims.Add(length);
            foreach (var st in strides) st.Insert(st.Count - 1, st[^1] * length);
        }
        Dims = [.. dims];
        Strides = strides.Select(s => s.ToArray()).ToArray();
        Inner = Dims[^1];
        Rows = output.ElementCount / Inner;
        RowsPerTask = (int)Math.Max(1, ElementsPerTask / Inner);
        Tasks = (int)((Rows + RowsPerTask - 1) / RowsPerTask);
    }

    public long[] Dims { get; }

    /// <summary>Strides[operand][dim].</summary>
    public long[][] Strides { get; }

    public long Inner { get; }

    public long Rows { get; }

    public int RowsPerTask { get; }

    public int Tasks { get; }

    /// <summary>The element offset of row <paramref name="row"/>'s start in operand <paramref name="operand"/>.</summary>
    public long RowOffset(int operand, long row)
    {
        long offset = 0;
        var st = Strides[operand];
        for (var d = Dims.Length - 2; d >= 0; d--)
        {
            offset += row % Dims[d] * st[d];
            row /= Dims[d];
        }
        return offset;
    }

    /// <summary>
    /// The longest row length of at most <see cref="ElementsPerTask"/> (and at least an eighth of it, so the inner loops
    /// stay long) that divides <paramref name="length"/>; 0 when there is none.
    /// </summary>
    private static int RowLengthDividing(int length)
    {
        for (var candidate = ElementsPerTask; candidate >= ElementsPerTask / 8; candidate--)
            if (length % candidate == 0) return candidate;
        return 0;
    }

    private static List<long> BroadcastStrides(Shape operand, Shape output)
    {
        var result = new List<long>(new long[output.Rank]);
        var own = operand.Strides();
        var lead = output.Rank - operand.Rank;
        for (var i = 0; i < operand.Rank; i++)
            result[lead + i] = operand[i] == 1 && output[lead + i] != 1 ? 0 : own[i];
        return result;
    }
}
