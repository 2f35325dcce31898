using System.CommandLine;
using System.Diagnostics;
using StaticGraph.Backend;
using StaticGraph.Conformance;
using StaticGraph.Train.Bench;

namespace StaticGraph.Train.Commands;

/// <summary>
/// `device-check`: reports the NVIDIA libraries found (where, and the version where the library tells it), initialises the
/// driver and counts devices; with a usable GPU it then runs the conformance kit (<see cref="ConformanceKit"/>) on the
/// CUDA backend in f32 (in the chosen precision mode) and in f64 against the f64 CPU reference, one row per case (ok or
/// FAIL, the case, the error measured against the tolerance table's bound, the time), then the CUDA benchmark against
/// PyTorch. Without a GPU it says in one line what is missing and exits 0: a plain report, not a failure.
/// </summary>
public static class DeviceCheckCommand
{
    /// <summary>The command.</summary>
    public static Command Create()
    {
        var precision = new Option<string>("--precision") { Description = "How the f32 target computes: f32 (TF32 off), tf32, bf16 or fp16", DefaultValueFactory = _ => "f32" };
        precision.AcceptOnlyFromAmong([.. BackendSettings.Precisions]);
        var cases = new Option<string>("--cases")
        {
            Description = "Comma-separated prefixes of the kit's case ids to run (op, step, inference, repeat, replay, op:conv2d, step:resnet, ...); empty: every case",
            DefaultValueFactory = _ => "",
        };
        var benchSteps = new Option<int>("--bench-steps") { Description = "Timed steps of the CUDA benchmark (0: skip it)", DefaultValueFactory = _ => 50 };
        var python = new Option<string>("--python") { Description = "Interpreter with PyTorch for the benchmark's peer", DefaultValueFactory = _ => "python3" };
        var command = new Command("device-check", "Report the CUDA libraries and devices; with a GPU, run the conformance kit on the CUDA backend and benchmark it")
        {
            precision, cases, benchSteps, python,
        };
        command.SetAction(r => Run(Console.Out, r.GetValue(precision)!, r.GetValue(cases)!, r.GetValue(benchSteps), r.GetValue(python)!));
        return command;
    }

    /// <summary>
    /// Writes the report to <paramref name="output"/>: what each backend found on this machine, then, when the CUDA backend
    /// can run, the kit's rows for its f32 and f64 targets and the benchmark. Returns 0 unless a case or the bench failed.
    /// </summary>
    public static int Run(TextWriter output, string precision = "f32", string cases = "", int benchSteps = 50, string python = "python3")
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

        var prefixes = cases.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        bool Selected(ConformanceCase c) => prefixes.Length == 0 || prefixes.Any(p => c.Id.StartsWith(p, StringComparison.Ordinal));
        var failed = 0;
        foreach (var target in new[] { Target(DType.F32, precision), Target(DType.F64, "f32") })
        {
            var t = target.Tolerance;
            output.WriteLine($"{target.Name}: the conformance kit against the f64 CPU reference (deterministic; tolerances of row {t.Row}: op {t.Op:G3}, loss {t.Loss:G3}, logits {t.Logits:G3}, updates {t.Updates:G3})");
            var (ok, bad, skipped) = (0, 0, 0);
            var clock = Stopwatch.StartNew();
            foreach (var result in ConformanceKit.Run(target, Selected))
            {
                output.WriteLine("  " + result);
                output.Flush();
                switch (result.Outcome)
                {
                    case Outcome.Passed: ok++; break;
                    case Outcome.Failed: bad++; break;
                    default: skipped++; break;
                }
            }
            output.WriteLine($"{target.Name}: {ok} ok, {bad} failed, {skipped} skipped in {clock.Elapsed.TotalSeconds:F0} s");
            failed += bad;
        }
        if (benchSteps > 0) failed += Bench(output, benchSteps, python);
        output.WriteLine(failed == 0 ? "cuda backend: every check passed" : $"cuda backend: {failed} check(s) failed");
        return failed == 0 ? 0 : 1;
    }

    /// <summary>The CUDA backend in <paramref name="precision"/> as a kit target, with its graph-replay-off twin for the replay cases.</summary>
    private static ConformanceTarget Target(DType dtype, string precision) =>
        ConformanceTarget.FromBackend("cuda", dtype, precision, eager: () => Backends.Resolve("cuda", new BackendSettings(precision, GraphReplay: false)));

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
