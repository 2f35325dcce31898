using System.Diagnostics;
using System.Globalization;

namespace StaticGraph.Train.Bench;

/// <summary>
/// Our side of the CPU memory measure, in a process of its own: a resident set measured in the bench's own process
/// would carry the earlier workloads' and rounds' heap, so the parent starts <c>sgtrain bench --worker</c> (hidden),
/// which measures one workload and prints one machine-readable line, as the peer does in its own process.
/// </summary>
public static class BenchWorker
{
    /// <summary>The first word of the worker's line: <c>bench-worker img/s=X mib=Y params=N</c>.</summary>
    public const string Prefix = "bench-worker";

    /// <summary>The worker's side: measures <paramref name="workload"/> with memory and writes the line.</summary>
    public static int Serve(TextWriter output, BenchWorkload workload, BenchSettings settings)
    {
        ArgumentNullException.ThrowIfNull(output);
        var r = OursBench.Measure(workload, settings, memory: true);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{Prefix} img/s={r.ImagesPerSecond:R} mib={r.MemoryMib ?? double.NaN:R} params={r.ParameterCount}"));
        return 0;
    }

    /// <summary>
    /// The parent's side: runs the worker for <paramref name="workload"/> and reads its line. The worker is this
    /// program's assembly run by the dotnet host (the CLI is started as <c>dotnet sgtrain.dll</c>; under a test host
    /// the assembly is the copy beside the tests).
    /// </summary>
    /// <exception cref="IOException">The worker could not start or did not print its line.</exception>
    public static OursResult Measure(BenchWorkload workload, BenchSettings settings)
    {
        ArgumentNullException.ThrowIfNull(workload);
        ArgumentNullException.ThrowIfNull(settings);
        var psi = new ProcessStartInfo(Commands.SelfLaunch.DotnetHost())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var a in (string[])[Commands.SelfLaunch.Assembly, "bench", "--worker", "--workload", workload.Name,
                     "--device", settings.Device, "--precision", settings.Precision, "--threads", $"{settings.Threads}",
                     "--batch-size", $"{settings.BatchSize}", "--steps", $"{settings.Steps}"])
            psi.ArgumentList.Add(a);
        using var p = Process.Start(psi) ?? throw new IOException($"bench: could not start {psi.FileName}");
        var errors = p.StandardError.ReadToEndAsync();
        var output = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        var line = output.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.StartsWith(Prefix + " ", StringComparison.Ordinal));
        if (p.ExitCode != 0 || line is null)
            throw new IOException($"bench: our worker for {workload.Name} failed (exit {p.ExitCode}): {errors.Result.Trim().Split('\n').LastOrDefault()}");
        return Parse(line);
    }

    /// <summary>Reads the worker's line.</summary>
    public static OursResult Parse(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1)
            .Select(f => f.Split('=', 2)).Where(kv => kv.Length == 2).ToDictionary(kv => kv[0], kv => kv[1], StringComparer.Ordinal);
        if (!fields.TryGetValue("img/s", out var speed) || !fields.TryGetValue("mib", out var mib) || !fields.TryGetValue("params", out var count))
            throw new IOException($"bench: the worker's line '{line}' lacks img/s, mib or params");
        return new OursResult(double.Parse(speed, CultureInfo.InvariantCulture), long.Parse(count, CultureInfo.InvariantCulture),
            double.Parse(mib, CultureInfo.InvariantCulture));
    }
}
