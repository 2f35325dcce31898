namespace StaticGraph.Backend.Cpu;

/// <summary>Element access by dtype for the slow, non-kernel paths (initialisation, constants).</summary>
public static unsafe class CpuValues
{
    /// <summary>Stores <paramref name="value"/> converted to the tensor's dtype at element <paramref name="i"/>.</summary>
    public static void Set(CpuTensor t, long i, double value)
    {
        switch (t.Type.DType)
        {
            case DType.F32: t.Ptr<float>()[i] = (float)value; break;
            case DType.F64: t.Ptr<double>()[i] = value; break;
            case DType.I32: t.Ptr<int>()[i] = (int)value; break;
            default: throw new NotSupportedException($"the CPU backend does not store {t.Type.DType.ShortName()}");
        }
    }

    /// <summary>Element <paramref name="i"/> as a double.</summary>
    public static double Get(CpuTensor t, long i) => t.Type.DType switch
    {
        DType.F32 => t.Ptr<float>()[i],
        DType.F64 => t.Ptr<double>()[i],
        DType.I32 => t.Ptr<int>()[i],
        _ => throw new NotSupportedException($"the CPU backend does not store {t.Type.DType.ShortName()}"),
    };
}
