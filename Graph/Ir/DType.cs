namespace StaticGraph;

/// <summary>Element types of tensors. F16 and BF16 are declared for the GPU backend.</summary>
public enum DType
{
    /// <summary>IEEE 754 binary32.</summary>
    F32,
    /// <summary>IEEE 754 binary64: the numerical reference.</summary>
    F64,
    /// <summary>IEEE 754 binary16 (GPU only).</summary>
    F16,
    /// <summary>bfloat16 (GPU only).</summary>
    BF16,
    /// <summary>32-bit signed integer (labels, indices).</summary>
    I32,
}

/// <summary>Facts about <see cref="DType"/> values.</summary>
public static class DTypeFacts
{
    /// <summary>Bytes one element occupies.</summary>
    public static int SizeInBytes(this DType t) => t switch
    {
        DType.F32 or DType.I32 => 4,
        DType.F64 => 8,
        DType.F16 or DType.BF16 => 2,
        _ => throw new ArgumentOutOfRangeException(nameof(t), t, "unknown dtype"),
    };

    /// <summary>True for the floating-point types.</summary>
    public static bool IsFloat(this DType t) => t != DType.I32;

    /// <summary>The short name used in listings: f32, f64, f16, bf16, i32.</summary>
    public static string ShortName(this DType t) => t switch
    {
        DType.F32 => "f32",
        DType.F64 => "f64",
        DType.F16 => "f16",
        DType.BF16 => "bf16",
        DType.I32 => "i32",
        _ => t.ToString(),
    };
}
