using System.Diagnostics;
using System.Globalization;
using StaticGraph.Checkpoints;
using StaticGraph.Distributed;
using StaticGraph.Tests.Train;
using StaticGraph.Train.Commands;
using StaticGraph.Train.Training;
using Xunit;

namespace StaticGraph.Tests.Distributed;

/// <summary>
/// <c>mpirun --allow-run-as-root --oversubscribe -np 2 sgtrain train</c> on a tiny Fashion-MNIST run: determinism, the same
/// run as the in-process ranks, a killed rank, ranks with different programs, and SIGINT then resume. Without mpirun or
/// the data set every test reports skipped, saying which.
/// </summary>
public class MpiRunTests
{
    private const string FashionMnist = "/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz";

    private static readonly string[] Common =
        ["train", "--device", "cpu", "--batch-size", "16", "--train-limit", "128", "--test-limit", "64", "--threads", "1", "--seed", "5", "--lr", "0.05"];

    private static void RequireMpirun()
    {
        if (SelfLaunch.Mpirun() is null) Assert.Skip("mpirun is not installed (apt-get install openmpi-bin libopenmpi-dev)");
        if (!File.Exists(FashionMnist)) Assert.Skip("Fashion-MNIST is not installed (apt-get install dataset-fashion-mnist)");
    }

    private static string NewDir() => Path.Combine(Path.GetTempPath(), "sg-mpi-" + Guid.NewGuid().ToString("N"));

    /// <summary>The options <see cref="Common"/> give, for the same run in this process.</summary>
    private static TrainOptions Options(string dir, int epochs) => new()
    {
        Device = "cpu",
        BatchSize = 16,
        TrainLimit = 128,
        TestLimit = 64,
        Threads = 1,
        Seed = 5,
        Lr = 0.05,
        Epochs = epochs,
        OutDir = dir,
    };

    /// <summary>A running <c>mpirun</c>: its output lines as they come, and its exit.</summary>
    private sealed class Launch : IDisposable
    {
        private readonly Process _process;
        private readonly List<string> _lines = [];
        private readonly Lock _gate = new();

        public Launch(IEnumerable<string> mpirunArguments)
        {
            var psi = new ProcessStartInfo(SelfLaunch.Mpirun()!) { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var a in mpirunArguments) psi.ArgumentList.Add(a);
            psi.Environment["TERM"] = "dumb";
            _process = Process.Start(psi)!;
            _process.OutputDataReceived += (_, e) => Add(e.Data);
            _process.ErrorDataReceived += (_, e) => Add(e.Data);
            _process.BeginOutputReadLine();
            _process.BeginErrorReadLine();
        }

        public int Id => _process.Id;

        public string Output
        {
            get
            {
                lock (_gate) return string.Join("\n", _lines);
            }
        }

        public bool WaitForLine(string text, TimeSpan timeout)
        {
            var clock = Stopwatch.StartNew();
            while (clock.Elapsed < timeout && !_process.HasExited)
            {
                lock (_gate) if (_lines.Any(l => l.Contains(text, StringComparison.Ordinal))) return true;
                Thread.Sleep(20);
            }
            lock (_gate) return _lines.Any(l => l.Contains(text, StringComparison.Ordinal));
        }

        public int Wait(TimeSpan timeout)
        {
            if (!_process.WaitForExit(timeout)) throw new TimeoutException($"mpirun did not end within {timeout.TotalSeconds:F0} s; output so far:\n{Output}");
            _process.WaitForExit();
            return _process.ExitCode;
        }

        public void Dispose()
        {
            if (!_process.HasExited) _process.Kill(entireProcessTree: true);
            _process.Dispose();
        }

        private void Add(string? line)
        {
            if (line is null) return;
            lock (_gate) _lines.Add(line);
        }
    }

    private static (int Exit, string Output) Mpirun(int ranks, params string[] args)
    {
        using var launch = new Launch(SelfLaunch.MpirunArguments(ranks, args));
        var exit = launch.Wait(TimeSpan.FromMinutes(3));
        return (exit, launch.Output);
    }

    private static void AssertSameRun(string expected, string actual) =>
        Assert.Equal("2", RunComparison.AssertSameRun(expected, actual).Metadata["world_size"]);

    [Fact]
    public void Two_ranks_train_bitwise_alike_twice_and_as_two_ranks_in_one_process()
    {
        RequireMpirun();
        var (first, second, inProcess) = (NewDir(), NewDir(), NewDir());
        foreach (var dir in new[] { first, second })
        {
            var (exit, output) = Mpirun(2, [.. Common, "--epochs", "2", "--out", dir]);
            Assert.True(exit == 0, $"mpirun exited with {exit}:\n{output}");
            // Rank 0 alone prints: one result line, not two.
            Assert.Single(output.Split('\n'), l => l.StartsWith("test accuracy", StringComparison.Ordinal));
        }
        AssertSameRun(first, second);
        InProcessGroup.Run(2, world => new Trainer(Options(inProcess, 2), TrainingProgress.None, world).Run(stop: TestContext.Current.CancellationToken));
        AssertSameRun(first, inProcess);
    }

    [Fact]
    public void A_rank_killed_mid_run_stops_the_other_within_60_seconds_with_one_line_naming_it()
    {
        RequireMpirun();
        // mpirun tears the job down by itself (SIGCONT, SIGTERM, SIGKILL a second apart); the longer timeout leaves rank 0,
        // slowed by a loaded machine, time to finish its step and notice the loss itself, which is what this tests.
        using var launch = new Launch(["--mca", "odls_base_sigkill_timeout", "10", .. SelfLaunch.MpirunArguments(2, [.. Common, "--epochs", "200", "--out", NewDir()])]);
        Assert.True(launch.WaitForLine("epoch 1 step 1/", TimeSpan.FromMinutes(2)), $"training did not start:\n{launch.Output}");
        var victim = RankProcess(launch.Id, rank: 1);
        var clock = Stopwatch.StartNew();
        Assert.Equal(0, Signals.Send(victim, Signals.Kill));
        var exit = launch.Wait(TimeSpan.FromSeconds(60));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60));
        Assert.NotEqual(0, exit);
        var named = launch.Output.Split('\n').Where(l => l.Contains($"rank 1 (pid {victim} on ", StringComparison.Ordinal)).ToList();
        Assert.True(named.Count == 1, $"expected one line naming rank 1 (pid {victim}), got {named.Count}:\n{launch.Output}");
        Assert.Contains("died while rank 0 waited for it", named[0]);
    }

    [Fact]
    public void Ranks_started_with_different_programs_are_refused_at_start_with_one_line_naming_the_rank()
    {
        RequireMpirun();
        var dir = NewDir();
        string[] one = [SelfLaunch.DotnetHost(), SelfLaunch.Assembly, .. Common, "--epochs", "1", "--out", dir];
        // Two applications in one job (MPMD): rank 0 with --lr 0.05, rank 1 with --lr 0.1.
        using var launch = new Launch(["--allow-run-as-root", "--oversubscribe", "-np", "1", .. one, ":", "-np", "1", .. one.Select(a => a == "0.05" ? "0.1" : a)]);
        var (exit, output) = (launch.Wait(TimeSpan.FromMinutes(3)), launch.Output);
        Assert.NotEqual(0, exit);
        var refusals = output.Split('\n').Where(l => l.Contains("runs another program than rank 0", StringComparison.Ordinal)).ToList();
        Assert.True(refusals.Count == 1, $"expected one refusal line, got {refusals.Count}:\n{output}");
        Assert.StartsWith("error: rank 1 runs another program than rank 0 (hash ", refusals[0]);
        Assert.False(File.Exists(Path.Combine(dir, Trainer.CheckpointName)), "a refused run must not train");
    }

    [Fact]
    public void Sigint_to_mpirun_leaves_a_checkpoint_that_resumes_bitwise_with_the_same_world_and_not_another()
    {
        RequireMpirun();
        var (interrupted, whole) = (NewDir(), NewDir());
        // Six epochs of 8 steps, interrupted at the first: the signal has 47 steps to land before the run ends by itself
        // (with two epochs, 15 steps were once too few on a loaded machine for the faster CPU kernels).
        const int epochs = 6, steps = epochs * 8;
        // The stop starts at mpirun's SIGCONT; a longer kill timeout than Open MPI's 1 s (docs/distributed.md) keeps a loaded
        // machine from killing the ranks before the checkpoint is written.
        using (var launch = new Launch(["--mca", "odls_base_sigkill_timeout", "10", .. SelfLaunch.MpirunArguments(2, [.. Common, "--epochs", $"{epochs}", "--out", interrupted])]))
        {
            Assert.True(launch.WaitForLine("epoch 1 step 1/", TimeSpan.FromMinutes(2)), $"training did not start:\n{launch.Output}");
            Assert.Equal(0, Signals.Send(launch.Id, Signals.Interrupt));
            launch.Wait(TimeSpan.FromSeconds(60));
            Assert.Contains("stopped; checkpoint written. Continue with: mpirun -np 2 sgtrain train --resume", launch.Output);
        }
        var saved = CheckpointFile.Read(Path.Combine(interrupted, Trainer.CheckpointName));
        Assert.InRange(saved.Step, 1, steps - 1);
        var (refused, refusal) = Mpirun(4, "train", "--resume", interrupted, "--threads", "1");
        Assert.NotEqual(0, refused);
        Assert.Contains("was written by a run of 2 rank(s); resume it with as many (mpirun -np 2), not 4", refusal);
        var (exit, output) = Mpirun(2, "train", "--resume", interrupted, "--threads", "1");
        Assert.True(exit == 0, $"the resumed run exited with {exit}:\n{output}");
        InProcessGroup.Run(2, world => new Trainer(Options(whole, epochs), TrainingProgress.None, world).Run(stop: TestContext.Current.CancellationToken));
        AssertSameRun(whole, interrupted);
    }

    /// <summary>The process of <paramref name="rank"/> among <paramref name="mpirun"/>'s children (Open MPI's launcher starts local ranks itself).</summary>
    private static int RankProcess(int mpirun, int rank)
    {
        foreach (var folder in Directory.GetDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(folder), NumberStyles.None, CultureInfo.InvariantCulture, out var pid)) continue;
            try
            {
                var stat = File.ReadAllText(Path.Combine(folder, "stat"));
                var parent = int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[1], CultureInfo.InvariantCulture);
                if (parent != mpirun) continue;
                var environment = File.ReadAllText(Path.Combine(folder, "environ")).Split('\0');
                if (environment.Contains($"OMPI_COMM_WORLD_RANK={rank}")) return pid;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
            }
        }
        throw new InvalidOperationException($"no process of rank {rank} under mpirun {mpirun}");
    }
}
