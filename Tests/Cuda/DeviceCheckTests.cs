using StaticGraph.Cuda.Backend;
using StaticGraph.Train.Commands;
using Xunit;

namespace StaticGraph.Tests.Cuda;

/// <summary>`device-check` on a machine without a usable GPU: one line per library, one line saying what is missing, exit 0.</summary>
public class DeviceCheckTests
{
    [Fact]
    public void Without_a_GPU_it_says_what_is_missing_in_one_line_and_exits_cleanly()
    {
        if (CudaBackend.Unavailable() is null) Assert.Skip("a GPU is usable here; this test covers machines without one");
        var output = new StringWriter();
        var exit = DeviceCheckCommand.Run(output);
        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(0, exit);
        Assert.Contains(lines, l => l.StartsWith("CUDA driver", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("cuDNN", StringComparison.Ordinal));
        var verdict = Assert.Single(lines, l => l.StartsWith("cuda backend: unavailable (", StringComparison.Ordinal));
        Assert.Contains(CudaBackend.Unavailable()!, verdict);
        Assert.EndsWith("training runs on the CPU backend", verdict.TrimEnd());
    }

    [Fact]
    public void Asking_for_cuda_without_a_GPU_is_an_error_naming_the_cause_and_auto_falls_back_to_the_CPU()
    {
        var why = CudaBackend.Unavailable();
        if (why is null) Assert.Skip("a GPU is usable here; this test covers machines without one");
        var e = Assert.Throws<ArgumentException>(() => StaticGraph.Train.Training.DeviceChoice.Resolve("cuda"));
        Assert.Contains(why, e.Message);
        var notes = new StringWriter();
        Assert.IsType<StaticGraph.Backend.Cpu.CpuBackend>(StaticGraph.Train.Training.DeviceChoice.Resolve("auto", notes));
        Assert.Contains(why, notes.ToString());
        Assert.Throws<ArgumentException>(() => StaticGraph.Train.Training.DeviceChoice.Resolve("gpu"));
    }
}
