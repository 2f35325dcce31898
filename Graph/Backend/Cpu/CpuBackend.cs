namespace StaticGraph.Backend.Cpu;

/// <summary>The CPU backend: the numerical reference (f64) and a fast f32 path.</summary>
public sealed class CpuBackend : IBackend
{
    /// <summary>The shared instance.</summary>
    public static CpuBackend Instance { get; } = new();

    /// <inheritdoc/>
    public string Name => "cpu";

    /// <inheritdoc/>
    public IExecutable Compile(GraphProgram program, CompileOptions options) => CompileCpu(program, options);

    /// <summary>Compiles to the concrete CPU executable.</summary>
    public CpuExecutable CompileCpu(GraphProgram program, CompileOptions options) => new(program, options);
}
