namespace StaticGraph.Conformance;

/// <summary>
/// A value read back from an executable, whatever its dtype: as doubles (f32 and i32 convert exactly) for comparisons
/// with the reference, and as raw bits for the bitwise ones.
/// </summary>
/// <param name="DType">The dtype it was read in.</param>
/// <param name="Values">Every element as a double.</param>
/// <param name="Bits">Every element's bits (f32 and i32 widened), so that -0 and 0, or two NaNs, are told apart.</param>
public sealed record Tensor(DType DType, double[] Values, long[] Bits)
{
    /// <summary>A fetched node's value.</summary>
    public static Tensor Read(IExecutable run, Node node)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(node);
        return node.DType switch
        {
            DType.F32 => FromSingles(run.Read<float>(node)),
            DType.F64 => FromDoubles(run.Read<double>(node)),
            DType.I32 => FromInts(run.Read<int>(node)),
            _ => throw new NotSupportedException($"cannot read {node} of {node.Type}"),
        };
    }

    /// <summary>A variable's value by name.</summary>
    public static Tensor ReadVariable(IExecutable run, Node variable)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(variable);
        return variable.DType switch
        {
            DType.F32 => FromSingles(run.ReadVariable<float>(variable.Name!)),
            DType.F64 => FromDoubles(run.ReadVariable<double>(variable.Name!)),
            DType.I32 => FromInts(run.ReadVariable<int>(variable.Name!)),
            _ => throw new NotSupportedException($"cannot read variable '{variable.Name}' of {variable.Type}"),
        };
    }

    /// <summary>f32 values.</summary>
    public static Tensor FromSingles(float[] values) =>
        new(DType.F32, Array.ConvertAll(values, v => (double)v), Array.ConvertAll(values, v => (long)BitConverter.SingleToInt32Bits(v)));

    /// <summary>f64 values.</summary>
    public static Tensor FromDoubles(double[] values) => new(DType.F64, values, Array.ConvertAll(values, BitConverter.DoubleToInt64Bits));

    /// <summary>i32 values.</summary>
    public static Tensor FromInts(int[] values) => new(DType.I32, Array.ConvertAll(values, v => (double)v), Array.ConvertAll(values, v => (long)v));
}
