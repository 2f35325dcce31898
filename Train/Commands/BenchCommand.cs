using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using StaticGraph.Models;
using StaticGraph.Train.Training;

namespace StaticGraph.Train.Commands;

/// <summary>
/// `bench`: images/s of a full ResNet-preact-20 training step here and in PyTorch on the same
/// machine, in one run, printed with their ratio.
/// </summary>
public static class BenchCommand
{
    /// <summary>The command with its options.</summary>
    public static Command Create()
    {
        var device = new Option<string>("--device") { Description = "cpu or cuda (both sides run on it)", DefaultValueFactory = _ => "cpu" };
        var precision = new Option<string>("--precision") { Description = "Our side's precision: f32, or on the GPU tf32, bf16 or fp16 (the peer stays f32)", DefaultValueFactory = _ => "f32" };
        var threads = new Option<int>("--threads") { Description = "CPU threads for both", DefaultValueFactory = _ => 2 };
        var batch = new Option<int>("--batch-size") { Description = "Images per step", DefaultValueFactory = _ => 128 };
        var steps = new Option<int>("--steps") { Description = "Timed steps", DefaultValueFactory = _ => 20 };
        var python = new Option<string>("--python") { Description = "Interpreter with PyTorch", DefaultValueFactory = _ => "/usr/bin/python3" };
        var peer = new Option<string?>("--peer-script") { Description = "The PyTorch peer script (default: bench/pytorch_rp20.py of the repository)" };
        var profile = new Option<bool>("--profile") { Description = "Print the time per op of our step" };
        var rounds = new Option<int>("--rounds") { Description = "Interleaved rounds (ours, then PyTorch); the best of each is reported, which discounts passing load on a shared machine", DefaultValueFactory = _ => 3 };
        var command = new Command("bench", "Time a training step against PyTorch") { device, precision, threads, batch, steps, python, peer, profile, rounds };
        command.SetAction(r => CommandErrors.Guard(() =>
        {
            var on = r.GetValue(device)!;
            if (on is not ("cpu" or "cuda")) throw new ArgumentException($"--device must be cpu or cuda, got '{on}'");
            var backend = DeviceChoice.Resolve(on, null, r.GetValue(precision)!);
            var (b, n, t) = (r.GetValue(batch), r.GetValue(steps), r.GetValue(threads));
            double ours = 0;
            double? theirs = null;
            var script = r.GetValue(peer) ?? FindPeerScript();
            for (var round = 0; round < Math.Max(1, r.GetValue(rounds)); round++)
            {
                var oursNow = MeasureOurs(b, n, t, r.GetValue(profile) && round == 0, backend);
                ours = Math.Max(ours, oursNow);
                var peerNow = MeasurePyTorch(r.GetValue(python)!, script, b, n, t, on);
                Console.WriteLine($"round {round + 1}: ours={oursNow.ToString("F1", CultureInfo.InvariantCulture)} pytorch={peerNow?.ToString("F1", CultureInfo.InvariantCulture) ?? "unavailable"}");
                if (peerNow is not { } p) break;
                theirs = Math.Max(theirs ?? 0, p);
            }
            var ratio = theirs is { } y ? (ours / y).ToString("F3", CultureInfo.InvariantCulture) : "n/a";
            var pytorch = theirs?.ToString("F1", CultureInfo.InvariantCulture) ?? "unavailable";
            var label = r.GetValue(precision) is "f32" ? on : $"{on}_{r.GetValue(precision)}";
            Console.WriteLine($"rp20_{label}_train img/s ours={ours.ToString("F1", CultureInfo.InvariantCulture)} pytorch={pytorch} ratio={ratio}");
            return 0;
        }));
        return command;
    }

    /// <summary>Images per second of our training step on random data after a warmup.</summary>
    public static double MeasureOurs(int batch, int steps, int threads, bool profile = false, StaticGraph.Backend.IBackend? backend = null)
    {
        using var session = new ModelSession(ModelZoo.Get("resnet-preact-20"), batch, 1, 28, 28, 10,
            new Sgd(0.9, 5e-4, true), Schedule.Constant(0.1), seed: 0, threads, backend: backend);
        var rng = new System.Random(0);
        var images = new float[batch * 28 * 28];
        for (var i = 0; i < images.Length; i++) images[i] = (float)(rng.NextDouble() * 2 - 1);
        var labels = new int[batch];
        for (var i = 0; i < labels.Length; i++) labels[i] = rng.Next(10);
        session.Training.SetInput<float>(ModelSession.ImageInput, images);
        session.Training.SetInput<int>(ModelSession.LabelInput, labels);
        for (var i = 0; i < 3; i++) session.Training.Run();
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < steps; i++) session.Training.Run();
        var imagesPerSecond = batch * steps / clock.Elapsed.TotalSeconds;
        if (profile && session.Training is StaticGraph.Backend.Cpu.CpuExecutable cpu)
        {
            cpu.Profile = true;
            for (var i = 0; i < steps; i++) cpu.Run();
            foreach (var (op, seconds, calls) in cpu.ProfileByOp())
                Console.WriteLine($"{op,-28} {seconds / steps * 1000,9:F2} ms/step {calls / steps,5} calls/step");
        }
        return imagesPerSecond;
    }

    /// <summary>Images per second of the PyTorch peer on <paramref name="device"/>, or null (with a line on stderr) when it cannot run.</summary>
    public static double? MeasurePyTorch(string python, string? script, int batch, int steps, int threads, string device = "cpu")
    {
        if (script is null || !File.Exists(script))
        {
            Console.Error.WriteLine("bench: the PyTorch peer script bench/pytorch_rp20.py was not found; pass --peer-script");
            return null;
        }
        var psi = new ProcessStartInfo(python, [script, "--threads", $"{threads}", "--batch-size", $"{batch}", "--steps", $"{steps}", "--device", device])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        try
        {
            using var p = Process.Start(psi)!;
            var output = p.StandardOutput.ReadToEnd();
            var errors = p.StandardError.ReadToEnd();
            p.WaitForExit();
            var line = output.Split('\n').FirstOrDefault(l => l.StartsWith("img/s ", StringComparison.Ordinal));
            if (p.ExitCode == 0 && line is not null) return double.Parse(line[6..], CultureInfo.InvariantCulture);
            Console.Error.WriteLine($"bench: the PyTorch peer failed (exit {p.ExitCode}): {errors.Trim().Split('\n').LastOrDefault()}");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            Console.Error.WriteLine($"bench: cannot start {python}: {e.Message} (install Debian's python3-torch)");
        }
        return null;
    }

    /// <summary>bench/pytorch_rp20.py of the repository, searched upwards from the working and the program's folders.</summary>
    public static string? FindPeerScript()
    {
        foreach (var start in new[] { Environment.CurrentDirectory, AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "bench", "pytorch_rp20.py");
                if (File.Exists(candidate)) return candidate;
            }
        }
        return null;
    }
}
