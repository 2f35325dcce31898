namespace StaticGraph.Backend.Cpu;

/// <summary>Offsets of row-major linear indices in strided layouts, for the copying kernels.</summary>
internal static class StridedIndex
{
    /// <summary>
    /// The element offset of linear index <paramref name="index"/> over <paramref name="dims"/>
    /// (row-major) when dimension d advances by <paramref name="strides"/>[d] elements.
    /// </summary>
    public static long Offset(long index, ReadOnlySpan<long> dims, ReadOnlySpan<long> strides)
    {
        long offset = 0;
        for (var d = dims.Length - 1; d >= 0; d--)
        {
            offset += index % dims[d] * strides[d];
            index /= dims[d];
        }
        return offset;
    }

    /// <summary>Row-major strides of <paramref name="dims"/>.</summary>
    public static long[] Contiguous(ReadOnlySpan<long> dims)
    {
        var strides = new long[dims.Length];
        long acc = 1;
        for (var d = dims.Length - 1; d >= 0; d--)
        {
            strides[d] = acc;
            acc *= dims[d];
        }
        return strides;
    }

    /// <summary>Rows of <paramref name="rowLength"/> elements that make one task of the fixed partition.</summary>
    public static long RowsPerTask(long rowLength) => Math.Max(1, ElementwiseLayout.ElementsPerTask / Math.Max(1, rowLength));

    /// <summary>Tasks covering <paramref name="rows"/> rows in groups of <paramref name="rowsPerTask"/>.</summary>
    public static int Tasks(long rows, long rowsPerTask) => (int)((rows + rowsPerTask - 1) / rowsPerTask);
}
