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
    public string DeviceName
    {
        get
        {
            const string cpuinfo = "/proc/cpuinfo";
            var model = File.Exists(cpuinfo)
                ? File.ReadLines(cpuinfo).FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2).ElementAtOrDefault(1)?.Trim()
                : null;
            return $"{model ?? System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture.ToString()} ({Environment.ProcessorCount} cores)";
        }
    }

    /// <inheritdoc/>
    public IReadOnlyList<string> Report()
    {
        var vectors = System.Runtime.Intrinsics.Vector512.IsHardwareAccelerated ? "AVX-512"
            : System.Runtime.Intrinsics.Vector256.IsHardwareAccelerated ? "AVX2" : "scalar";
        return [$"cpu: {DeviceName}, {vectors} kernels, f32 and f64"];
    }

    /// <inheritdoc/>
    public IBackend Create(BackendSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return settings.Precision == "f32" ? CpuBackend.Instance
            : throw new ArgumentException($"precision {settings.Precision} needs a GPU backend; the cpu backend computes in f32 (use f32)");
    }
}
