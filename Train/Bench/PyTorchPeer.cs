using System.Diagnostics;
using System.Globalization;

namespace StaticGraph.Train.Bench;

/// <summary>
/// The PyTorch side of the bench: bench/pytorch_peer.py run by an interpreter with PyTorch (Debian's python3-torch on
/// the CPU; the GPU machine's PyTorch with CUDA), in a process of its own, building the same network and timing the
/// same step. Its output is a few <c>key value</c> lines.
/// </summary>
public static class PyTorchPeer
{
    /// <summary>The script's path under the repository.</summary>
    public const string ScriptPath = "bench/pytorch_peer.py";

    /// <summary>bench/pytorch_peer.py of the repository, searched upwards from the working and the program's folders.</summary>
    public static string? FindScript()
    {
        foreach (var start in new[] { Environment.CurrentDirectory, AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, ScriptPath);
                if (File.Exists(candidate)) return candidate;
            }
        }
        return null;
    }

    /// <summary>
    /// Runs the peer for <paramref name="workload"/>; null, with one line on <paramref name="errors"/> saying why,
    /// when the script is missing, the interpreter cannot start, or the peer fails (e.g. no PyTorch, or no CUDA).
    /// </summary>
    public static PeerResult? Run(BenchWorkload workload, BenchSettings settings, bool memory, TextWriter errors)
    {
        ArgumentNullException.ThrowIfNull(workload);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(errors);
        if (settings.PeerScript is not { } script || !File.Exists(script))
        {
            errors.WriteLine($"bench: the PyTorch peer script {ScriptPath} was not found; pass --peer-script");
            return null;
        }
        var psi = new ProcessStartInfo(settings.Python)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        var threads = settings.Threads > 0 ? settings.Threads : Environment.ProcessorCount;
        foreach (var a in (string[])[script, .. workload.PeerArguments, "--threads", $"{threads}", "--batch-size", $"{settings.BatchSize}",
                     "--steps", $"{settings.Steps}", "--warmup", $"{OursBench.WarmupSteps}", "--device", settings.Device,
                     "--precision", settings.Precision, .. memory ? new[] { "--memory" } : []])
            psi.ArgumentList.Add(a);
        try
        {
            using var p = Process.Start(psi)!;
            var stderr = p.StandardError.ReadToEndAsync();
            var output = p.StandardOutput.ReadToEnd();
            p.WaitForExit();
            var result = p.ExitCode == 0 ? Parse(output, memory) : null;
            if (result is not null) return result;
            errors.WriteLine($"bench: the PyTorch peer failed (exit {p.ExitCode}): {stderr.Result.Trim().Split('\n').LastOrDefault()}");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            errors.WriteLine($"bench: cannot start {settings.Python}: {e.Message} (install Debian's python3-torch)");
        }
        return null;
    }

    /// <summary>Reads the peer's lines (<c>img/s X</c>, <c>params N</c>, <c>device NAME</c>, <c>step_mib X</c> or <c>peak_mib X</c>); null without <c>img/s</c>, or without the memory line when <paramref name="memory"/>.</summary>
    public static PeerResult? Parse(string output, bool memory)
    {
        ArgumentNullException.ThrowIfNull(output);
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var raw in output.Split('\n'))
        {
            var line = raw.Trim();
            var space = line.IndexOf(' ', StringComparison.Ordinal);
            if (space > 0) values.TryAdd(line[..space], line[(space + 1)..].Trim());
        }
        if (!values.TryGetValue("img/s", out var speed) || !double.TryParse(speed, CultureInfo.InvariantCulture, out var imagesPerSecond)) return null;
        double? mib = (values.GetValueOrDefault("step_mib") ?? values.GetValueOrDefault("peak_mib")) is { } m
            && double.TryParse(m, CultureInfo.InvariantCulture, out var parsed) ? parsed : null;
        if (memory && mib is null) return null;
        long? count = values.TryGetValue("params", out var c) && long.TryParse(c, CultureInfo.InvariantCulture, out var n) ? n : null;
        return new PeerResult(imagesPerSecond, count, mib, values.GetValueOrDefault("device"));
    }
}
