using System.Globalization;

namespace StaticGraph.Train.Bench;

/// <summary>
/// This process's resident set from Linux's /proc/self/status: the current size (VmRSS) and the high-water mark
/// (VmHWM), which writing 5 to /proc/self/clear_refs resets (Linux 4.0+), so that a peak can be taken over one phase.
/// </summary>
public static class ResidentMemory
{
    private const string Status = "/proc/self/status";

    /// <summary>The resident set now, in KiB.</summary>
    public static long CurrentKib() => Read("VmRSS");

    /// <summary>The resident set's high-water mark since the process started or it was last reset, in KiB.</summary>
    public static long PeakKib() => Read("VmHWM");

    /// <summary>Resets the high-water mark to the current resident set; false where the kernel or permissions refuse.</summary>
    public static bool TryResetPeak()
    {
        try
        {
            File.WriteAllText("/proc/self/clear_refs", "5");
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static long Read(string field)
    {
        if (!File.Exists(Status))
            throw new ArgumentException($"the memory measure reads {Status}, which this system lacks (it needs Linux)");
        foreach (var line in File.ReadLines(Status))
        {
            if (!line.StartsWith(field + ":", StringComparison.Ordinal)) continue;
            var value = line[(field.Length + 1)..].Trim();
            return long.Parse(value.EndsWith(" kB", StringComparison.Ordinal) ? value[..^3] : value, CultureInfo.InvariantCulture);
        }
        throw new ArgumentException($"{Status} has no {field} line");
    }
}
