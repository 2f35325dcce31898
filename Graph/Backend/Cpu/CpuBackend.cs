namespace StaticGraph.Backend.Cpu;

/// <summary>The CPU backend: the numerical reference (f64) and a fast f32 path.</summary>
public sealed class CpuBackend : IBackend
{
    /// <summary>The shared instance.</summary>
    public static CpuBackend Instance { get; } = new();

    /// <summary>f32 and f64 (every float kernel is instantiated for both) and i32 (labels, indices, boxes).</summary>
    public static IReadOnlySet<DType> DTypes { get; } = new HashSet<DType> { DType.F32, DType.F64, DType.I32 };

    /// <inheritdoc/>
    public string Name => "cpu";

    /// <inheritdoc/>
    public IReadOnlySet<DType> SupportedDTypes => DTypes;

    /// <inheritdoc/>
    public IExecutable Compile(GraphProgram program, CompileOptions options) => CompileCpu(program, options);

    /// <summary>
    /// Compiles to the concrete CPU executable; refuses a program with a dtype outside <see cref="DTypes"/>. Without
    /// <paramref name="fuse"/> every node is computed by its own kernel into its own buffer (fusion changes no result,
    /// which tests check by comparing the two).
    /// </summary>
    public CpuExecutable CompileCpu(GraphProgram program, CompileOptions options, bool fuse = true)
    {
        this.RequireSupported(program);
        return new(program, options, fuse);
    }
}
