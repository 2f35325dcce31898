using StaticGraph.Backend.Cpu;

namespace StaticGraph.Conformance;

/// <summary>Compiles a program for a target: a backend's <see cref="IBackend.Compile"/>, or the tests' emulator.</summary>
public delegate IExecutable ProgramCompiler(GraphProgram program, CompileOptions options);

/// <summary>
/// One backend configuration the kit checks: a name for reports, the float dtype its programs are built in, the precision
/// mode it computes in, and how to compile a program for it. The kit never names a backend type: the CPU, the tests' CUDA
/// emulator and a GPU each arrive as one of these, so a new backend plugs in by making one.
/// </summary>
/// <param name="Name">How reports and test names call it: <c>cpu-f32</c>, <c>emulator-f64</c>, <c>cuda-tf32</c>.</param>
/// <param name="DType">The float dtype of every program the kit builds for it (f32 or f64).</param>
/// <param name="Precision">
/// How an f32 program's convolutions and matrix products compute (<see cref="BackendSettings.Precisions"/>); it picks the
/// row of <see cref="Tolerances"/>. f64 programs ignore it.
/// </param>
/// <param name="Compile">Compiles a program for the target.</param>
public sealed record ConformanceTarget(string Name, DType DType, string Precision, ProgramCompiler Compile)
{
    /// <summary>
    /// The same target with graph replay off (eager issue), when the target replays captured graphs; null when it has no
    /// such mode. Replay cases compare the two bit for bit.
    /// </summary>
    public ProgramCompiler? CompileEager { get; init; }

    /// <summary>
    /// Whether the target promises random draws bit for bit the CPU's (true of every backend the library has: Philox with
    /// correctly rounded arithmetic). Draws through log, cos and exp are held to <see cref="Tolerance.Draws"/> instead.
    /// </summary>
    public bool BitwiseDraws { get; init; } = true;

    /// <summary>Null when the target can run here; otherwise why not (every case then reports skipped with it).</summary>
    public string? Unavailable { get; init; }

    /// <summary>
    /// The reason this target leaves a case out (it reports skipped with it), or null to run it: a target may omit what it
    /// cannot run in reasonable time or what is vacuous on it, saying so.
    /// </summary>
    public Func<ConformanceCase, string?> Omit { get; init; } = _ => null;

    /// <summary>The row of the tolerance table this target is held to.</summary>
    public Tolerance Tolerance => Tolerances.For(DType, Precision);

    /// <summary>The CPU backend computing in <paramref name="dtype"/> on two threads (the reference runs on one).</summary>
    public static ConformanceTarget Cpu(DType dtype) =>
        new($"cpu-{Tolerances.Describe(dtype)}", dtype, "f32", (p, o) => CpuBackend.Instance.Compile(p, o with { Threads = 2 }));

    /// <summary>
    /// A target for a backend found by name (<see cref="Backends.Resolve"/>): unavailable, with the provider's reason, when it
    /// cannot run here. <paramref name="eager"/> gives its graph-replay-off twin, when it has one.
    /// </summary>
    public static ConformanceTarget FromBackend(string backend, DType dtype, string precision = "f32", Func<IBackend>? eager = null)
    {
        var provider = Backends.Find(backend);
        var why = provider is null ? $"no backend named '{backend}' is beside the program" : provider.Unavailable();
        var name = $"{backend}-{(dtype == DType.F64 ? "f64" : precision)}";
        if (why is not null)
            return new ConformanceTarget(name, dtype, precision, (_, _) => throw new InvalidOperationException(why)) { Unavailable = why };
        var resolved = new Lazy<IBackend>(() => Backends.Resolve(backend, new BackendSettings(precision)));
        var eagerBackend = eager is null ? null : new Lazy<IBackend>(eager);
        return new ConformanceTarget(name, dtype, precision, (p, o) => resolved.Value.Compile(p, o))
        {
            CompileEager = eagerBackend is null ? null : (p, o) => eagerBackend.Value.Compile(p, o),
        };
    }

    /// <inheritdoc/>
    public override string ToString() => Name;
}
