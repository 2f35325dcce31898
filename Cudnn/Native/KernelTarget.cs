namespace StaticGraph.Cuda.Native;

/// <summary>
/// What NVRTC should compile the kernels to for one device (pure logic, no library): machine code for the device's own
/// architecture when this NVRTC can write it (a CUBIN runs on any driver of NVRTC's major version, and the driver need not
/// compile anything at load time); otherwise PTX for the newest virtual architecture NVRTC knows at or below the device's,
/// which the driver compiles, and which it accepts only when it is at least as new as NVRTC.
/// </summary>
/// <param name="Architecture">The <c>--gpu-architecture</c> value: <c>sm_90</c> or <c>compute_80</c>.</param>
/// <param name="Reason">Why, in words, for <c>device-check</c>.</param>
internal sealed record KernelTarget(string Architecture, string Reason)
{
    /// <summary>True when the target is machine code.</summary>
    public bool IsCubin => Architecture.StartsWith("sm_", StringComparison.Ordinal);

    /// <summary>
    /// Chooses the target for a device of compute capability <paramref name="device"/>, given the real architectures NVRTC
    /// supports (e.g. 80, 86, 90), NVRTC's version and the driver's (<c>cuDriverGetVersion</c>). Throws when neither machine
    /// code nor PTX that the driver can load can be made, naming both versions.
    /// </summary>
    public static KernelTarget Choose((int Major, int Minor) device, IReadOnlyList<int> supported, (int Major, int Minor) nvrtc, int driverVersion)
    {
        var cc = device.Major * 10 + device.Minor;
        var nvrtcText = $"NVRTC {nvrtc.Major}.{nvrtc.Minor}";
        if (DriverCompatibility.Rejection(nvrtc.Major, driverVersion) is { } tooNew)
            throw new InvalidOperationException($"{nvrtcText} cannot build kernels for this driver: {tooNew}; install an NVRTC of CUDA {DriverCompatibility.Major(driverVersion)} or older");
        if (supported.Contains(cc))
            return new KernelTarget($"sm_{cc}", $"machine code for the device's sm_{cc} ({nvrtcText}, driver {DriverCompatibility.Describe(driverVersion)})");

        var below = supported.Where(a => a <= cc).DefaultIfEmpty(0).Max();
        if (below == 0)
            throw new InvalidOperationException($"{nvrtcText} supports none of the architectures up to the device's sm_{cc} (it knows {string.Join(", ", supported)})");
        if (!DriverCompatibility.DriverAcceptsPtxOf(nvrtc, driverVersion))
            throw new InvalidOperationException(
                $"{nvrtcText} does not know the device's sm_{cc}, and its PTX is newer than the driver ({DriverCompatibility.Describe(driverVersion)}) can load; install an NVRTC that knows sm_{cc}, or a newer driver");
        return new KernelTarget($"compute_{below}",
            $"PTX for compute_{below}, compiled by the driver: {nvrtcText} does not know the device's sm_{cc} (driver {DriverCompatibility.Describe(driverVersion)})");
    }
}
