namespace StaticGraph.Backend.Cpu;

/// <summary>The CPU backend: always usable, computes f32 and f64 exactly as written (no reduced precision).</summary>
public sealed class CpuBackendProvider : IBackendProvider
{
    /// <inheritdoc/>
    public string Name => CpuBackend.Instance.Name;

    /// <inheritdoc/>
    public int Preference => 0;

    /// <inheritdoc/>
    public string? Unavailable() => null;

    /// <inheritdoc/>
    public IBackend Create(BackendSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return settings.Precision == "f32" ? CpuBackend.Instance
            : throw new ArgumentException($"precision {settings.Precision} needs a GPU backend; the cpu backend computes in f32 (use f32)");
    }
}
