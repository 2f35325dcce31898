using System.Diagnostics;
using StaticGraph.Checkpoints;
using StaticGraph.Train.Training;
using Xunit;

namespace StaticGraph.Tests.Train;

/// <summary>A run stopped at any step and resumed equals the run that never stopped, bit for bit.</summary>
public class ResumeTests
{
    private const string FashionMnist = "/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz";

    private sealed class StopAfter(int steps, CancellationTokenSource source) : ITrainingProgress
    {
        private int _done;
        public void EpochStarted(int epoch, int steps) { }
        public void StepDone(int stepInEpoch, double loss, double imagesPerSecond)
        {
            if (++_done == steps) source.Cancel();
        }
        public void Evaluating() { }
        public void EpochDone(EpochMetrics metrics) { }
    }

    private static TrainOptions Small(string dir) => new()
    {
        Epochs = 2,
        BatchSize = 32,
        TrainLimit = 128,
        TestLimit = 64,
        Threads = 2,
        Lr = 0.05,
        Seed = 11,
        OutDir = dir,
    };

    private static string NewDir() => Path.Combine(Path.GetTempPath(), "sg-resume-" + Guid.NewGuid().ToString("N"));

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    [InlineData(6)]
    public void Stopping_after_k_steps_and_resuming_is_bitwise_identical(int k)
    {
        if (!File.Exists(FashionMnist)) Assert.Skip("Fashion-MNIST is not installed (apt-get install dataset-fashion-mnist)");
        var (whole, interrupted) = (NewDir(), NewDir());
        new Trainer(Small(whole), new StopAfter(int.MaxValue, new CancellationTokenSource())).Run(stop: TestContext.Current.CancellationToken);
        using var source = new CancellationTokenSource();
        var first = new Trainer(Small(interrupted), new StopAfter(k, source)).Run(stop: source.Token);
        Assert.True(first.Stopped);
        var second = new Trainer(Small(interrupted), new StopAfter(int.MaxValue, new CancellationTokenSource())).Run(resume: true, TestContext.Current.CancellationToken);
        Assert.False(second.Stopped);
        RunComparison.AssertSameRun(whole, interrupted);
    }

    [Fact]
    public void Sigint_in_epoch_2_then_resume_matches_the_uninterrupted_run()
    {
        if (!File.Exists(FashionMnist)) Assert.Skip("Fashion-MNIST is not installed (apt-get install dataset-fashion-mnist)");
        var cli = Path.Combine(AppContext.BaseDirectory, "sgtrain.dll");
        // Three epochs of 40 steps, interrupted at the first step of epoch 2: the signal has 79 steps to land before the
        // run ends by itself.
        const int steps = 3 * 640 / 16;
        string[] common = ["train", "--epochs", "3", "--batch-size", "16", "--train-limit", "640", "--test-limit", "64", "--threads", "1", "--seed", "5"];
        var (whole, interrupted) = (NewDir(), NewDir());
        Assert.Equal(0, RunCli(cli, [.. common, "--out", whole], interruptWhen: null));
        var exit = RunCli(cli, [.. common, "--out", interrupted], interruptWhen: "epoch 2 step 1/");
        Assert.Equal(130, exit);
        Assert.InRange(CheckpointFile.Read(Path.Combine(interrupted, Trainer.CheckpointName)).Step, steps / 3 + 1, steps - 1);
        Assert.Equal(0, RunCli(cli, ["train", "--resume", interrupted, "--threads", "1"], interruptWhen: null));
        RunComparison.AssertSameRun(whole, interrupted);
    }

    /// <summary>Runs the CLI; sends SIGINT when a line of its output contains <paramref name="interruptWhen"/>.</summary>
    private static int RunCli(string cli, string[] args, string? interruptWhen)
    {
        // A shell starts a background job with SIGINT ignored, its children inherit that, and .NET leaves an ignored SIGINT
        // ignored (as POSIX programs do). A test run started that way (CI's was) would see the CLI shrug off the signal,
        // so the CLI starts with SIGINT at its default, as from a terminal.
        var psi = new ProcessStartInfo("env", ["--default-signal=INT", "dotnet", cli, .. args]) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var p = Process.Start(psi)!;
        p.ErrorDataReceived += (_, _) => { };
        p.BeginErrorReadLine();
        var sent = false;
        while (p.StandardOutput.ReadLine() is { } line)
        {
            if (!sent && interruptWhen is not null && line.Contains(interruptWhen, StringComparison.Ordinal))
            {
                sent = true;
                // Straight from this process: spawning `kill` took long enough on a loaded machine for the epoch to end first.
                Assert.Equal(0, Signals.Send(p.Id, Signals.Interrupt));
            }
        }
        p.WaitForExit();
        return p.ExitCode;
    }

    [Fact]
    public void A_diverging_run_stops_naming_the_step_and_the_node()
    {
        if (!File.Exists(FashionMnist)) Assert.Skip("Fashion-MNIST is not installed (apt-get install dataset-fashion-mnist)");
        var options = Small(NewDir()) with { Lr = 1e30, Epochs = 1 };
        var e = Assert.Throws<TrainingDivergedException>(() => new Trainer(options, new StopAfter(int.MaxValue, new CancellationTokenSource())).Run(stop: TestContext.Current.CancellationToken));
        Assert.Contains("training diverged at step", e.Message);
        Assert.Contains("came from %", e.Message);
    }
}
