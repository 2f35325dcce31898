using System.CommandLine;
using StaticGraph.Backend;
using StaticGraph.Train.Bench;

namespace StaticGraph.Train.Commands;

/// <summary>
/// `device-check`: reports the NVIDIA libraries found (where, and the version where the library tells it), initialises the
/// driver and counts devices; with a usable GPU it then runs the GPU checks (<see cref="DeviceChecks"/>: random draws,
/// determinism, graph replay, one training step of every model against the CPU) and the CUDA benchmark against PyTorch,
/// as a table. Without a GPU it says in one line what is missing and exits 0: a plain report, not a failure.
/// </summary>
public static class DeviceCheckCommand
{
    /// <summary>The command.</summary>
    public static Command Create()
    {
        var batch = new Option<int>("--batch-size") { Description = "Images per checked training step", DefaultValueFactory = _ => 8 };
        var size = new Option<int>("--image-size") { Description = "Side of the checked images", DefaultValueFactory = _ => 32 };
        var benchSteps = new Option<int>("--bench-steps") { Description = "Timed steps of the CUDA benchmark (0: skip it)", DefaultValueFactory = _ => 50 };
        var python = new Option<string>("--python") { Description = "Interpreter with PyTorch for the benchmark's peer", DefaultValueFactory = _ => "python3" };
        var command = new Command("device-check", "Report the CUDA libraries and devices; with a GPU, check the CUDA backend against the CPU and benchmark it")
        {
            batch, size, benchSteps, python,
        };
        command.SetAction(r => Run(Console.Out, r.GetValue(batch), r.GetValue(size), r.GetValue(benchSteps), r.GetValue(python)!));
        return command;
    }

    /// <summary>
    /// Writes the report to <paramref name="output"/>: what each backend found on this machine, then, for each usable
    /// backend besides the CPU (the reference), the checks against the CPU and the benchmark. Returns 0 unless a check failed.
    /// </summary>
    public static int Run(TextWriter output, int batch = 8, int size = 32, int benchSteps = 50, string python = "python3")
    {
        ArgumentNullException.ThrowIfNull(output);
        foreach (var provider in Backends.Providers)
            foreach (var line in provider.Report()) output.WriteLine(line);
        var unavailable = Backends.Find("cuda") is { } cuda ? cuda.Unavailable() : "its assembly is not beside the program";
        if (unavailable is not null)
        {
            output.WriteLine($"cuda backend: unavailable ({unavailable}); training runs on the CPU backend");
            return 0;
        }

        output.WriteLine($"cuda backend: checks on {batch} images of 3x{size}x{size} (f32, TF32 off, deterministic)");
        var failed = 0;
        foreach (var row in DeviceChecks.Run(batch, size))
        {
            output.WriteLine($"  {(row.Passed ? "ok  " : "FAIL")} {row.Check,-52} {row.Detail}");
            output.Flush();
            if (!row.Passed) failed++;
        }
        if (benchSteps > 0) failed += Bench(output, benchSteps, python);
        output.WriteLine(failed == 0 ? "cuda backend: every check passed" : $"cuda backend: {failed} check(s) failed");
        return failed == 0 ? 0 : 1;
    }

    /// <summary>
    /// The CUDA benchmark against PyTorch through <c>bench</c>'s own code (<see cref="BenchRunner"/>), in its line format:
    /// the issue's CUDA workloads, <c>rp20c3</c> and <c>ss26_2x96d</c> in f32 (img/s and peak_mib) and <c>rp20c3</c> in
    /// BF16 (img/s). Returns the number of failures: a bench that threw, or models whose parameter counts differ from
    /// the peer's.
    /// </summary>
    private static int Bench(TextWriter output, int steps, string python)
    {
        var settings = new BenchSettings("cuda", "f32", Threads: 1, BatchSize: 128, Steps: steps, Rounds: 1, Python: python, PeerScript: PyTorchPeer.FindScript());
        var (rp20c3, ss26) = (BenchWorkloads.Get("rp20c3"), BenchWorkloads.Get("ss26_2x96d"));
        var runs = new (BenchWorkload[] Workloads, BenchSettings Settings, bool Memory)[]
        {
            ([rp20c3, ss26], settings, true),
            ([rp20c3], settings with { Precision = "bf16" }, false),
        };
        output.WriteLine(BenchRunner.Header(settings));
        var failed = 0;
        foreach (var (workloads, with, memory) in runs)
        {
            try
            {
                failed += BenchRunner.Run(output, workloads, with, memory, errors: output);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                output.WriteLine($"  FAIL bench {string.Join(",", workloads.Select(w => w.Name))} {with.Precision}: {e.GetType().Name}: {e.Message}");
                failed++;
            }
            output.Flush();
        }
        return failed;
    }
}
