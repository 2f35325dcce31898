using StaticGraph.Backend;
using StaticGraph.Cuda.Lowering;
using StaticGraph.Tests.Cuda.Emulation;

[assembly: BackendProvider(typeof(EmulatedCudaBackendProvider))]

namespace StaticGraph.Tests.Cuda.Emulation;

/// <summary>
/// The CUDA backend's plans run on the host (<see cref="PlanEmulator"/>): a third backend, offered by this assembly through
/// the same attribute the real ones use, so that anything choosing a backend by name (the trainer, the conformance kit)
/// runs on it unchanged. It is how a new backend plugs in (docs/architecture.md), and it lets the CUDA lowering be driven
/// through the backend contract on a machine without a GPU.
/// </summary>
internal sealed class EmulatedCudaBackend(ComputePrecision precision) : IBackend
{
    public string Name => EmulatedCudaBackendProvider.Key;

    public IReadOnlySet<DType> SupportedDTypes => CudaPlanner.SupportedDTypes;

    public IExecutable Compile(GraphProgram program, CompileOptions options)
    {
        this.RequireSupported(program);
        var world = Collectives.Require(program, options, Name);
        var plan = CudaPlanner.Plan(program, new CudaPlanOptions(precision));
        return new PlanEmulator(plan, options.Seed, options.ShareVariablesWith switch
        {
            null => null,
            PlanEmulator other => other,
            _ => throw new ArgumentException("variables can be shared only with another emulated executable", nameof(options)),
        }, world);
    }
}

/// <summary>Offers <see cref="EmulatedCudaBackend"/> as <c>cuda-emulator</c> where a host C++ compiler is present.</summary>
internal sealed class EmulatedCudaBackendProvider : IBackendProvider
{
    public const string Key = "cuda-emulator";

    public string Name => Key;

    // Never chosen by "auto": it is a test instrument, slow by design.
    public int Preference => -1;

    public string DeviceName => $"the host, emulating the CUDA backend ({HostKernelLibrary.Compiler ?? "no host compiler"})";

    public string? Unavailable() => HostKernelLibrary.Missing;

    public IReadOnlyList<string> Report() => [$"{Key}: {Unavailable() ?? "usable"} ({DeviceName})"];

    public IBackend Create(BackendSettings settings) => new EmulatedCudaBackend(settings.Precision switch
    {
        "f32" => ComputePrecision.F32,
        "bf16" => ComputePrecision.BF16,
        "fp16" => ComputePrecision.F16,
        _ => throw new ArgumentException($"the {Key} backend emulates f32, bf16 and fp16, not {settings.Precision}"),
    });
}
