namespace StaticGraph.Backend;

/// <summary>
/// Makes the backends of one kind (the CPU, CUDA, ...) and says whether this machine can run them. An assembly offers one
/// with <see cref="BackendProviderAttribute"/>; <see cref="Backends"/> finds it by name, so that a program choosing a
/// backend names it and nothing else.
/// </summary>
public interface IBackendProvider
{
    /// <summary>The name users choose it by: <c>cpu</c>, <c>cuda</c>.</summary>
    string Name { get; }

    /// <summary>Order of preference for <c>auto</c>: the usable provider with the highest value is chosen (the CPU is 0).</summary>
    int Preference { get; }

    /// <summary>Null when the backend can run here; otherwise one line saying what is missing.</summary>
    string? Unavailable();

    /// <summary>A backend computing as <paramref name="settings"/> ask, or <see cref="ArgumentException"/> naming the setting it cannot honour.</summary>
    IBackend Create(BackendSettings settings);

    /// <summary>The hardware it computes on, for reports and benchmark headers: the CPU's model, the GPU's name.</summary>
    string DeviceName { get; }

    /// <summary>
    /// Lines describing what the provider found on this machine (devices, libraries with their versions and why each was
    /// chosen, what is missing), for <c>sgtrain device-check</c>. Never throws: what cannot be found is a line.
    /// </summary>
    IReadOnlyList<string> Report();
}

/// <summary>Names a type of the assembly that implements <see cref="IBackendProvider"/> (and has a public parameterless constructor).</summary>
/// <param name="provider">The provider type.</param>
[AttributeUsage(AttributeTargets.Assembly, AllowMultiple = true)]
public sealed class BackendProviderAttribute(Type provider) : Attribute
{
    /// <summary>The provider type.</summary>
    public Type Provider { get; } = provider;
}

/// <summary>How a backend should compute, in terms every backend understands (each refuses what it cannot do).</summary>
/// <param name="Precision">How an f32 program's convolutions and matrix products compute: <c>f32</c>, or on a GPU <c>tf32</c>, <c>bf16</c>, <c>fp16</c>.</param>
/// <param name="Deterministic">Bitwise-reproducible results (algorithms without atomics); the default.</param>
/// <param name="GraphReplay">Whether a backend that can record a step once and replay it (the CUDA backend's graphs) does so;
/// off issues every command each run, which is what graph replay is checked against. Backends without replay ignore it.</param>
/// <param name="Device">Which of the machine's devices of that kind (a GPU ordinal: each rank of a data-parallel run takes its
/// local rank's); the CPU has one and ignores it.</param>
public sealed record BackendSettings(string Precision = "f32", bool Deterministic = true, bool GraphReplay = true, int Device = 0)
{
    /// <summary>f32, deterministic.</summary>
    public static BackendSettings Default { get; } = new();

    /// <summary>Every precision some backend computes in.</summary>
    public static IReadOnlyList<string> Precisions { get; } = ["f32", "tf32", "bf16", "fp16"];
}
