namespace StaticGraph.Cuda.Kernels;

/// <summary>One parameter of a generated kernel: its C type and name, e.g. <c>const float* __restrict__</c> and <c>x</c>.</summary>
/// <param name="CType">The C type as written in the signature.</param>
/// <param name="Name">The parameter's name.</param>
public sealed record KernelParameter(string CType, string Name)
{
    /// <inheritdoc/>
    public override string ToString() => $"{CType} {Name}";
}

/// <summary>
/// A helper that several kernels share (Philox, the dims struct). It is wrapped in an include guard, so that any number of
/// kernels can be concatenated into one translation unit (one NVRTC program per plan, one host library in the emulator).
/// </summary>
/// <param name="Name">A C identifier naming the helper; the guard is <c>SG_HAVE_</c> + name.</param>
/// <param name="Code">The C code.</param>
public sealed record KernelHelper(string Name, string Code)
{
    /// <summary>The guarded code.</summary>
    public string Guarded => $"#ifndef SG_HAVE_{Name}\n#define SG_HAVE_{Name}\n{Code.TrimEnd()}\n#endif\n";
}

/// <summary>
/// Generated CUDA C: a self-contained translation unit and the <c>extern "C"</c> name of its kernel, with its parameters
/// listed, so that launches can be checked against them and host wrappers generated from them.
/// </summary>
/// <param name="Name">The kernel's name; one name always means one source.</param>
/// <param name="Source">The CUDA C source; it includes no header.</param>
/// <param name="Parameters">The kernel's parameters in order.</param>
public sealed record CudaKernelSource(string Name, string Source, IReadOnlyList<KernelParameter> Parameters)
{
    /// <summary>
    /// Writes a kernel: the prelude, the guarded helpers, and <c>extern "C" __global__ void name(parameters) { body }</c>.
    /// Kernels never use shared memory or <c>__syncthreads</c>: every thread's work is independent of the others', which
    /// is what lets the host emulator run them one thread at a time.
    /// </summary>
    public static CudaKernelSource Create(string name, IReadOnlyList<KernelParameter> parameters, string body, params KernelHelper[] helpers)
    {
        var text = new System.Text.StringBuilder();
        text.Append(KernelTypes.PreludeHelper.Guarded);
        foreach (var h in helpers) text.Append(h.Guarded);
        text.Append("\nextern \"C\" __global__ void ").Append(name).Append('(');
        text.Append(string.Join(", ", parameters.Select(p => p.ToString())));
        text.Append(")\n{\n").Append(body.TrimEnd()).Append("\n}\n");
        return new CudaKernelSource(name, text.ToString(), parameters);
    }
}

/// <summary>The element types the generated kernels come in.</summary>
public enum KernelType
{
    /// <summary>float</summary>
    F32,
    /// <summary>double</summary>
    F64,
}

/// <summary>C spellings of kernel types and the shared prelude.</summary>
public static class KernelTypes
{
    /// <summary>The C type, <c>float</c> or <c>double</c>.</summary>
    public static string C(this KernelType t) => t == KernelType.F32 ? "float" : "double";

    /// <summary>The name suffix, <c>f32</c> or <c>f64</c>.</summary>
    public static string Suffix(this KernelType t) => t == KernelType.F32 ? "f32" : "f64";

    /// <summary>The C math-function suffix: <c>f</c> for float (<c>expf</c>), empty for double.</summary>
    public static string MathSuffix(this KernelType t) => t == KernelType.F32 ? "f" : "";

    /// <summary>The kernel type of a floating dtype.</summary>
    public static KernelType Of(DType dtype) => dtype switch
    {
        DType.F32 => KernelType.F32,
        DType.F64 => KernelType.F64,
        _ => throw new NotSupportedException($"the CUDA kernels have no {dtype} variant"),
    };

    /// <summary>The C type of any dtype the kernels read or write.</summary>
    public static string CType(DType dtype) => dtype switch
    {
        DType.F32 => "float",
        DType.F64 => "double",
        DType.I32 => "int",
        _ => throw new NotSupportedException($"the CUDA kernels have no {dtype} variant"),
    };

    /// <summary>The common prelude: a device/host qualifier so that helpers also compile as plain C on the host.</summary>
    public const string Prelude = """
        #if defined(__CUDACC__) || defined(__CUDACC_RTC__)
        #define SG_FN __device__ __forceinline__
        #else
        #define SG_FN static inline
        #endif

        """;

    /// <summary>The prelude as a guarded helper (every kernel starts with it).</summary>
    public static KernelHelper PreludeHelper { get; } = new("prelude", Prelude);

    /// <summary>A struct of <see cref="MaxRank"/> extents or strides, passed by value.</summary>
    public static KernelHelper DimsHelper { get; } = new("dims", $"typedef struct {{ long long d[{MaxRank}]; }} sg_dims;\n");

    /// <summary>The largest rank a kernel's <c>sg_dims</c> argument describes.</summary>
    public const int MaxRank = 6;

    /// <summary>The grid-stride loop over <c>i &lt; n</c>: correct for any grid, so the launch size is only a hint.</summary>
    public const string IndexLoop = "for (long long i = (long long)blockIdx.x * blockDim.x + threadIdx.x; i < n; i += (long long)gridDim.x * blockDim.x)";

    /// <summary>A pointer parameter to elements of <paramref name="dtype"/> (const when read-only).</summary>
    public static KernelParameter Pointer(DType dtype, string name, bool isConst = true) =>
        new($"{(isConst ? "const " : "")}{CType(dtype)}* __restrict__", name);

    /// <summary>The <c>long long n</c> parameter of grid-stride kernels.</summary>
    public static KernelParameter Count { get; } = new("long long", "n");

    /// <summary>The pointer to the control block: <c>[0]</c> the seed, <c>[1]</c> the step (written before each run).</summary>
    public static KernelParameter Control { get; } = new("const unsigned long long* __restrict__", "control");
}
