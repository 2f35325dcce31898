namespace StaticGraph.Backend.Cpu.Kernels;

/// <summary>Tables of row offsets, the way the GEMM kernels locate the rows of B (see <see cref="GemmMicroKernel"/>).</summary>
internal static unsafe class RowOffsets
{
    /// <summary>Scratch elements of <typeparamref name="T"/> that hold a table of <paramref name="rows"/> offsets.</summary>
    public static long Elements<T>(int rows)
        where T : unmanaged
        => ((long)rows * sizeof(nint) + sizeof(T) - 1) / sizeof(T);

    /// <summary>Offsets of a row-major matrix: row p at <c>p * stride</c>.</summary>
    public static void FillStrided(nint* offsets, int rows, nint stride)
    {
        for (int p = 0; p < rows; p++) offsets[p] = p * stride;
    }
}
