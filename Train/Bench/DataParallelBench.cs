using System.Diagnostics;
using System.Globalization;
using StaticGraph.Backend;
using StaticGraph.Distributed;
using StaticGraph.Distributed.Mpi;
using StaticGraph.Train.Commands;
using StaticGraph.Train.Training;

namespace StaticGraph.Train.Bench;

/// <summary>
/// The data-parallel line: a workload's training step on N ranks (<c>mpirun -np N</c>, each rank with the settings'
/// threads and 1/N of the batch) against one process with the same threads and the whole batch, in interleaved rounds,
/// the best of each: <c>rp20_cpu_dp img/s np1=X np2=Y efficiency=Z</c>, efficiency being the speed-up over N. On the GPU
/// each rank takes its own device (NCCL); with fewer devices than ranks the line says skipped and why.
/// </summary>
public static class DataParallelBench
{
    /// <summary>The first word of a rank-0 worker's line: <c>bench-dp img/s=X</c>.</summary>
    public const string Prefix = "bench-dp";

    /// <summary>The line's label, e.g. <c>rp20_cpu_dp</c>.</summary>
    public static string Label(string workload, string device) => $"{workload}_{device}_dp";

    /// <summary>The line itself.</summary>
    public static string Format(string label, int ranks, double single, double parallel) =>
        string.Create(CultureInfo.InvariantCulture,
            $"{label} img/s np1={BenchLine.Number(single)} np{ranks}={BenchLine.Number(parallel)} efficiency={parallel / (ranks * single):F3}");

    /// <summary>Why the line cannot be measured here (no mpirun, too few GPUs), or null.</summary>
    public static string? Unavailable(BenchSettings settings, int ranks)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (SelfLaunch.Mpirun() is null) return "mpirun is not installed (apt-get install openmpi-bin libopenmpi-dev)";
        if (settings.Device != "cuda") return null;
        if (Backends.Find("cuda")?.Unavailable() is { } why) return $"needs {ranks} GPUs and NCCL; no usable GPU: {why}";
        var count = Cuda.Backend.CudaBackend.DeviceCount();
        return count < ranks ? $"needs {ranks} GPUs (one per rank, NCCL between them); this machine has {count}" : null;
    }

    /// <summary>Measures <paramref name="workload"/> on one process and on <paramref name="ranks"/> ranks and writes the rounds and the line.</summary>
    public static void Run(TextWriter output, BenchWorkload workload, BenchSettings settings, int ranks)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(workload);
        ArgumentNullException.ThrowIfNull(settings);
        if (ranks < 2) throw new ArgumentException($"--data-parallel needs at least 2 ranks, got {ranks}");
        if (settings.BatchSize % ranks != 0) throw new ArgumentException($"--batch-size {settings.BatchSize} does not split over {ranks} ranks");
        var label = Label(workload.Name, settings.Device);
        if (Unavailable(settings, ranks) is { } why)
        {
            output.WriteLine($"{label} img/s skipped ({why})");
            return;
        }
        double single = 0, parallel = 0;
        for (var round = 0; round < settings.Rounds; round++)
        {
            var one = OursBench.Measure(workload, settings).ImagesPerSecond;
            var many = Launch(workload, settings, ranks);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"round {round + 1}: {label} img/s np1={BenchLine.Number(one)} np{ranks}={BenchLine.Number(many)}"));
            output.Flush();
            (single, parallel) = (Math.Max(single, one), Math.Max(parallel, many));
        }
        output.WriteLine(Format(label, ranks, single, parallel));
    }

    /// <summary>
    /// One rank's side (under <c>mpirun</c>): the model with this rank's share of the batch, averaging its gradients over the
    /// ranks, three untimed steps, then the timed ones; rank 0 prints the global batch's images per second.
    /// </summary>
    public static int Serve(TextWriter output, BenchWorkload workload, BenchSettings settings)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(workload);
        ArgumentNullException.ThrowIfNull(settings);
        var world = MpiLaunch.Join();
        try
        {
            var share = RankShare.Of(settings.BatchSize, world);
            var backend = DeviceChoice.Resolve(settings.Device, null, settings.Precision, world.LocalRank);
            var size = workload.Size;
            using var session = new ModelSession(workload.Build(), share.Count, workload.Channels, size, size, BenchWorkload.Classes,
                new Sgd(0.9, 5e-4, true), Schedule.Constant(0.1), seed: 0, settings.Threads, backend: backend, world: world);
            var rng = new System.Random(world.Rank);
            var images = new float[share.Count * workload.Channels * size * size];
            for (var i = 0; i < images.Length; i++) images[i] = (float)(rng.NextDouble() * 2 - 1);
            var labels = new int[share.Count];
            for (var i = 0; i < labels.Length; i++) labels[i] = rng.Next(BenchWorkload.Classes);
            session.Training.SetInput<float>(ModelSession.ImageInput, images);
            session.Training.SetInput<int>(ModelSession.LabelInput, labels);
            for (var i = 0; i < OursBench.WarmupSteps; i++) session.Training.Run();
            world.Any(false); // every rank starts the clock together
            var clock = Stopwatch.StartNew();
            for (var i = 0; i < settings.Steps; i++) session.Training.Run();
            world.Any(false); // and stops it when the slowest is done
            var seconds = clock.Elapsed.TotalSeconds;
            if (world.Rank == 0) output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{Prefix} img/s={(double)settings.BatchSize * settings.Steps / seconds:R}"));
            return 0;
        }
        finally
        {
            (world as IDisposable)?.Dispose();
        }
    }

    private static double Launch(BenchWorkload workload, BenchSettings settings, int ranks)
    {
        var psi = new ProcessStartInfo(SelfLaunch.Mpirun()!) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in SelfLaunch.MpirunArguments(ranks, "bench", "--dp-worker", "--workload", workload.Name, "--device", settings.Device,
                     "--precision", settings.Precision, "--threads", $"{settings.Threads}", "--batch-size", $"{settings.BatchSize}", "--steps", $"{settings.Steps}"))
            psi.ArgumentList.Add(a);
        psi.Environment["TERM"] = "dumb";
        using var p = Process.Start(psi) ?? throw new IOException($"bench: could not start {psi.FileName}");
        var errors = p.StandardError.ReadToEndAsync();
        var text = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        var line = text.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.StartsWith(Prefix + " img/s=", StringComparison.Ordinal));
        if (p.ExitCode != 0 || line is null)
            throw new IOException($"bench: the {ranks} ranks of {workload.Name} failed (exit {p.ExitCode}): {errors.Result.Trim().Split('\n').FirstOrDefault(l => l.StartsWith("error", StringComparison.Ordinal)) ?? errors.Result.Trim().Split('\n').LastOrDefault()}");
        return double.Parse(line[(Prefix.Length + " img/s=".Length)..], CultureInfo.InvariantCulture);
    }
}
