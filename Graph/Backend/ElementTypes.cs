namespace StaticGraph.Backend;

/// <summary>
/// Which .NET element type reads and writes each dtype's values: the one map from dtypes to .NET types, used for every
/// backend's feeds and fetches and for the CPU kernels' typed instantiation.
/// </summary>
public static class ElementTypes
{
    /// <summary>The .NET type of <paramref name="dtype"/>'s elements (float, double, int), or null when .NET has none here (f16, bf16).</summary>
    public static Type? Of(DType dtype) => dtype switch
    {
        DType.F32 => typeof(float),
        DType.F64 => typeof(double),
        DType.I32 => typeof(int),
        _ => null,
    };

    /// <summary>Throws an <see cref="ArgumentException"/> naming <paramref name="what"/> when <typeparamref name="T"/> is not <paramref name="type"/>'s element type.</summary>
    public static void Check<T>(TensorType type, string what) where T : unmanaged
    {
        if (Of(type.DType) != typeof(T)) throw new ArgumentException($"{what} is {type}; it cannot be read or written as {typeof(T).Name}");
    }
}
