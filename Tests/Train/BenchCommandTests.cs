using System.Diagnostics;
using System.Text.RegularExpressions;
using StaticGraph.Train;
using StaticGraph.Train.Bench;
using Xunit;

namespace StaticGraph.Tests.Train;

/// <summary>`sgtrain bench`: its workloads, its line format, and short CPU runs of both sides (no GPU needed).</summary>
public class BenchCommandTests
{
    /// <summary>The issue's line form: label, measure, ours, pytorch (a figure or unavailable), ratio (a figure or n/a).</summary>
    private static readonly Regex LineForm = new(
        @"^[a-z0-9_]+_(cpu|cuda)(_(tf32|bf16|fp16))?_train (threads1 )?(img/s|step_mib|peak_mib) ours=\d+\.\d pytorch=(\d+\.\d|unavailable) ratio=(\d+\.\d{3}|n/a)$");

    private static BenchSettings Small(int batch = 8, int steps = 1) =>
        new(Threads: 2, BatchSize: batch, Steps: steps, Rounds: 1, PeerScript: PyTorchPeer.FindScript());

    private static void RequireTorch()
    {
        try
        {
            using var p = Process.Start(new ProcessStartInfo("/usr/bin/python3", ["-c", "import torch"]) { RedirectStandardError = true })!;
            p.StandardError.ReadToEnd();
            p.WaitForExit();
            if (p.ExitCode == 0) return;
        }
        catch (System.ComponentModel.Win32Exception)
        {
        }
        Assert.Skip("/usr/bin/python3 cannot import torch (apt-get install python3-torch)");
    }

    [Fact]
    public void Workload_lists_parse_in_order_once_each()
    {
        var workloads = BenchWorkloads.Parse("rp20, ss26_2x32d,rp20,ss26_2x96d");
        Assert.Equal(["rp20", "ss26_2x32d", "ss26_2x96d"], workloads.Select(w => w.Name));
        var ss = workloads[1];
        Assert.Equal(("shake-shake-26-2x32d", 3, 32), (ss.Model, ss.Channels, ss.Size));
        Assert.Equal("Shake-Shake-Image", StaticGraph.Regularizers.ShakeShakeDefinition.Options(ss.Variant)!.Name);
        Assert.Equal(["--model", "ss26", "--width", "32", "--channels", "3", "--size", "32"], ss.PeerArguments);
        Assert.Equal(["--model", "rp20", "--channels", "1", "--size", "28"], BenchWorkloads.Get("rp20").PeerArguments);
    }

    [Fact]
    public void An_unknown_workload_is_refused_in_one_line_naming_it_and_the_valid_ones()
    {
        var e = Assert.Throws<ArgumentException>(() => BenchWorkloads.Parse("rp20,resnet50"));
        Assert.Equal("unknown workload 'resnet50'; valid workloads: rp20, rp20c3, ss26_2x32d, ss26_2x96d", e.Message);

        var (exit, output, error) = Cli.Run("bench", "--workload", "rp20,resnet50");
        Assert.Equal(2, exit);
        Assert.Equal("", output);
        Assert.Equal("error: " + e.Message, error.TrimEnd('\n', '\r'));
    }

    [Fact]
    public void Lines_have_the_issue_format()
    {
        Assert.Equal("rp20_cpu_train img/s ours=390.1 pytorch=552.1 ratio=0.707",
            BenchLine.Format(BenchLine.Label("rp20", "cpu", "f32"), BenchLine.MeasureName(BenchMeasure.Speed, "cpu", 2), 390.1, 552.1));
        Assert.Equal("rp20_cpu_train threads1 img/s ours=100.0 pytorch=200.0 ratio=0.500",
            BenchLine.Format(BenchLine.Label("rp20", "cpu", "f32"), BenchLine.MeasureName(BenchMeasure.Speed, "cpu", 1), 100, 200));
        Assert.Equal("rp20_cpu_train step_mib ours=60.0 pytorch=50.0 ratio=1.200",
            BenchLine.Format(BenchLine.Label("rp20", "cpu", "f32"), BenchLine.MeasureName(BenchMeasure.Memory, "cpu", 2), 60, 50));
        Assert.Equal("rp20c3_cuda_bf16_train img/s ours=5000.0 pytorch=unavailable ratio=n/a",
            BenchLine.Format(BenchLine.Label("rp20c3", "cuda", "bf16"), BenchLine.MeasureName(BenchMeasure.Speed, "cuda", 2), 5000, null));
        Assert.Equal("ss26_2x96d_cuda_train peak_mib",
            $"{BenchLine.Label("ss26_2x96d", "cuda", "f32")} {BenchLine.MeasureName(BenchMeasure.Memory, "cuda", 1)}");
        foreach (var issueLine in new[]
                 {
                     "rp20_cpu_train img/s ours=1.0 pytorch=2.0 ratio=0.500", "ss26_2x32d_cpu_train img/s ours=1.0 pytorch=2.0 ratio=0.500",
                     "rp20_cpu_train step_mib ours=1.0 pytorch=2.0 ratio=0.500", "rp20_cpu_train threads1 img/s ours=1.0 pytorch=2.0 ratio=0.500",
                     "rp20c3_cuda_train img/s ours=1.0 pytorch=2.0 ratio=0.500", "rp20c3_cuda_bf16_train img/s ours=1.0 pytorch=2.0 ratio=0.500",
                     "ss26_2x96d_cuda_train peak_mib ours=1.0 pytorch=unavailable ratio=n/a",
                 })
            Assert.Matches(LineForm, issueLine);
    }

    [Fact]
    public void The_peer_output_is_read_by_key()
    {
        var r = PyTorchPeer.Parse("device NVIDIA H100\nparams 271994\nimg/s 552.1\npeak_mib 812.5\n", memory: true);
        Assert.Equal(new PeerResult(552.1, 271994, 812.5, "NVIDIA H100"), r);
        Assert.Null(PyTorchPeer.Parse("params 271994\nimg/s 552.1\n", memory: true));
        Assert.Null(PyTorchPeer.Parse("Traceback (most recent call last):\n", memory: false));
    }

    [Fact]
    public void A_cpu_rp20_step_gives_positive_images_per_second()
    {
        var r = OursBench.Measure(BenchWorkloads.Get("rp20"), Small());
        Assert.True(r.ImagesPerSecond > 0, $"{r.ImagesPerSecond} img/s");
        Assert.Equal(271994, r.ParameterCount);
        Assert.Null(r.MemoryMib);
    }

    [Fact]
    public void The_worker_process_measures_positive_step_memory()
    {
        var r = BenchWorker.Measure(BenchWorkloads.Get("rp20"), Small());
        Assert.True(r.MemoryMib > 0, $"{r.MemoryMib} MiB");
        Assert.True(r.ImagesPerSecond > 0);
        Assert.Equal(271994, r.ParameterCount);
    }

    [Fact]
    public void The_python_peer_builds_the_same_networks_and_bench_prints_its_lines()
    {
        RequireTorch();
        var output = new StringWriter();
        var mismatches = BenchRunner.Run(output, BenchWorkloads.Parse("rp20,ss26_2x32d"), Small(), errors: output);
        var text = output.ToString();
        Assert.True(mismatches == 0, text);
        Assert.Contains("# rp20 params ours=271994 pytorch=271994 match", text);
        Assert.Contains("# ss26_2x32d params ours=2923162 pytorch=2923162 match", text);
        var lines = text.Split('\n', StringSplitOptions.TrimEntries).Where(l => l.Contains("_train ", StringComparison.Ordinal) && !l.StartsWith("round", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, lines.Count);
        Assert.All(lines, l => Assert.Matches(LineForm, l));
        Assert.All(lines, l => Assert.DoesNotContain("unavailable", l));
    }

    [Fact]
    public void The_data_parallel_line_times_two_mpi_ranks_against_one_process()
    {
        if (StaticGraph.Train.Commands.SelfLaunch.Mpirun() is null) Assert.Skip("mpirun is not installed (apt-get install openmpi-bin libopenmpi-dev)");
        var output = new StringWriter();
        DataParallelBench.Run(output, BenchWorkloads.Get("rp20"), new BenchSettings(Threads: 1, BatchSize: 8, Steps: 2, Rounds: 1), ranks: 2);
        var lines = output.ToString().Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        Assert.Matches(@"^round 1: rp20_cpu_dp img/s np1=\d+\.\d np2=\d+\.\d$", lines[0]);
        Assert.Matches(@"^rp20_cpu_dp img/s np1=\d+\.\d np2=\d+\.\d efficiency=\d+\.\d{3}$", lines[^1]);
    }

    [Fact]
    public void The_data_parallel_gpu_line_says_skipped_and_why_without_two_gpus()
    {
        if (StaticGraph.Cuda.Backend.CudaBackend.DeviceCount() >= 2) Assert.Skip("this machine has two GPUs: the line is measured, not skipped");
        var (exit, stdout, _) = Cli.Run("bench", "--workload", "rp20c3", "--device", "cuda", "--data-parallel", "2", "--steps", "1", "--rounds", "1");
        Assert.Equal(0, exit);
        var line = stdout.Split('\n', StringSplitOptions.TrimEntries).Single(l => l.StartsWith("rp20c3_cuda_dp", StringComparison.Ordinal));
        Assert.StartsWith("rp20c3_cuda_dp img/s skipped (", line);
        Assert.True(line.Contains("GPU", StringComparison.Ordinal) || line.Contains("mpirun", StringComparison.Ordinal), line);
    }

    [Fact]
    public void The_data_parallel_line_reports_the_speed_up_over_the_ranks()
    {
        Assert.Equal("rp20_cpu_dp img/s np1=100.0 np2=150.0 efficiency=0.750", DataParallelBench.Format("rp20_cpu_dp", 2, 100, 150));
    }
}
