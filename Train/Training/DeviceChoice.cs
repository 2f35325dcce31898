using StaticGraph.Backend;

namespace StaticGraph.Train.Training;

/// <summary>
/// The backend a run asks for on the command line, by name only (<see cref="Backends"/>): <c>auto</c> (the most
/// preferred usable backend: a GPU's when there is one, else the CPU), or a backend's name (<c>cpu</c>, <c>cuda</c>).
/// </summary>
public static class DeviceChoice
{
    /// <summary>The accepted devices.</summary>
    public static IReadOnlyList<string> Names => Backends.Names;

    /// <summary>The accepted precisions: f32 everywhere, or a GPU's TF32, BF16 or FP16 for convolutions and matrix products.</summary>
    public static IReadOnlyList<string> Precisions => BackendSettings.Precisions;

    /// <summary>
    /// The backend for <paramref name="device"/> computing in <paramref name="precision"/> on the machine's device number
    /// <paramref name="deviceIndex"/> (a rank's local rank; the CPU has one). With <c>auto</c>, one line on
    /// <paramref name="notes"/> says why a preferred backend was passed over; a named backend that cannot run here or
    /// cannot compute in that precision is an error naming the option.
    /// </summary>
    public static IBackend Resolve(string device, TextWriter? notes = null, string precision = "f32", int deviceIndex = 0)
    {
        if (!Precisions.Contains(precision))
            throw new ArgumentException($"--precision must be one of {string.Join(", ", Precisions)}, got '{precision}'");
        if (!Names.Contains(device))
            throw new ArgumentException($"--device must be one of {string.Join(", ", Names)}, got '{device}'");
        try
        {
            return Backends.Resolve(device, new BackendSettings(precision, Device: deviceIndex), notes);
        }
        catch (ArgumentException e)
        {
            throw new ArgumentException($"--device {device} --precision {precision}: {e.Message}", e);
        }
    }
}
