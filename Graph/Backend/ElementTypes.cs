namespace StaticGraph.Backend;

/// <summary>Which .NET element type reads and writes each dtype's values, for every backend's feeds and fetches.</summary>
public static class ElementTypes
{
    /// <summary>Throws an <see cref="ArgumentException"/> naming <paramref name="what"/> when <typeparamref name="T"/> is not <paramref name="type"/>'s element type.</summary>
    public static void Check<T>(TensorType type, string what) where T : unmanaged
    {
        var ok = type.DType switch
        {
            DType.F32 => typeof(T) == typeof(float),
            DType.F64 => typeof(T) == typeof(double),
            DType.I32 => typeof(T) == typeof(int),
            _ => false,
        };
        if (!ok) throw new ArgumentException($"{what} is {type}; it cannot be read or written as {typeof(T).Name}");
    }
}
