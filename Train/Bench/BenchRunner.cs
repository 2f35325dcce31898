using System.Globalization;
using StaticGraph.Train.Training;

namespace StaticGraph.Train.Bench;

/// <summary>
/// The bench itself, shared by <c>sgtrain bench</c> and <c>device-check</c>: for each workload, interleaved rounds of
/// our side then the PyTorch peer (so that passing load on a shared machine falls on both), a line per round, the best
/// round of each side (the fastest; with memory, also the smallest) in <see cref="BenchLine"/>s, and a comment line that
/// checks the two models' parameter counts agree.
/// </summary>
public static class BenchRunner
{
    /// <summary>The header line: <c>bench: device=NAME threads=T batch=B steps=S rounds=R</c>.</summary>
    public static string Header(BenchSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return string.Create(CultureInfo.InvariantCulture,
            $"bench: device={BenchDevice.Name(settings.Device)} threads={settings.Threads} batch={settings.BatchSize} steps={settings.Steps} rounds={settings.Rounds}");
    }

    /// <summary>
    /// Benches <paramref name="workloads"/> and writes the lines to <paramref name="output"/> (the peer's failures to
    /// <paramref name="errors"/>, default stderr): images/s, and with <paramref name="memory"/> the memory measure too
    /// (<see cref="BenchMeasure.Memory"/>), taken in the same rounds: both sides then time the step in the process that
    /// measures its memory (on the CPU our side runs in a <see cref="BenchWorker"/>). With <paramref name="profile"/>
    /// the time per op of our first round is written too (CPU, without memory). Returns the number of workloads whose
    /// two models' parameter counts differ (0 when the comparison is sound).
    /// </summary>
    public static int Run(TextWriter output, IReadOnlyList<BenchWorkload> workloads, BenchSettings settings, bool memory = false,
        bool profile = false, TextWriter? errors = null)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(workloads);
        ArgumentNullException.ThrowIfNull(settings);
        settings.Validate();
        DeviceChoice.Resolve(settings.Device, null, settings.Precision); // no GPU: fail in one line before any work
        var cpu = settings.Device == "cpu";
        if (profile && memory && cpu)
            throw new ArgumentException("--profile times our step in this process, --memory on the CPU in a process of its own: ask for one at a time");
        errors ??= Console.Error;
        var speedName = BenchLine.MeasureName(BenchMeasure.Speed, settings.Device, settings.Threads);
        var memoryName = BenchLine.MeasureName(BenchMeasure.Memory, settings.Device, settings.Threads);
        var mismatches = 0;
        foreach (var w in workloads)
        {
            var label = BenchLine.Label(w.Name, settings.Device, settings.Precision);
            Best ours = new(), theirs = new();
            OursResult? oursFirst = null;
            PeerResult? peerFirst = null;
            for (var round = 0; round < settings.Rounds; round++)
            {
                var o = memory && cpu ? BenchWorker.Measure(w, settings)
                    : OursBench.Measure(w, settings, memory, profile && round == 0 ? output : null);
                ours.Add(o.ImagesPerSecond, o.MemoryMib);
                oursFirst ??= o;
                var p = PyTorchPeer.Run(w, settings, memory, errors);
                var line = $"round {round + 1}: {label} {speedName} ours={BenchLine.Number(o.ImagesPerSecond)} pytorch={Figure(p?.ImagesPerSecond)}";
                if (memory) line += $" {memoryName} ours={Figure(o.MemoryMib)} pytorch={Figure(p?.MemoryMib)}";
                output.WriteLine(line);
                output.Flush();
                if (p is null) break;
                theirs.Add(p.ImagesPerSecond, p.MemoryMib);
                peerFirst ??= p;
            }
            if (peerFirst?.ParameterCount is { } theirCount)
            {
                var match = theirCount == oursFirst!.ParameterCount;
                if (!match) mismatches++;
                var on = peerFirst.DeviceName is { } gpu ? $" (pytorch on {gpu})" : "";
                output.WriteLine($"# {w.Name} params ours={oursFirst.ParameterCount} pytorch={theirCount} {(match ? "match" : "MISMATCH: not the same network")}{on}");
            }
            output.WriteLine(BenchLine.Format(label, speedName, ours.Speed ?? double.NaN, theirs.Speed));
            if (memory) output.WriteLine(BenchLine.Format(label, memoryName, ours.Memory ?? double.NaN, theirs.Memory));
            output.Flush();
        }
        return mismatches;
    }

    private static string Figure(double? value) => value is { } v ? BenchLine.Number(v) : "unavailable";

    /// <summary>The best of the rounds: the highest speed, the lowest memory.</summary>
    private sealed class Best
    {
        public double? Speed { get; private set; }

        public double? Memory { get; private set; }

        public void Add(double speed, double? memory)
        {
            Speed = Math.Max(Speed ?? speed, speed);
            if (memory is { } m) Memory = Math.Min(Memory ?? m, m);
        }
    }
}
