using StaticGraph.Backend;
using StaticGraph.Backend.Cpu;
using StaticGraph.Checkpoints;
using StaticGraph.Ops;
using Xunit;

namespace StaticGraph.Tests.Core;

public class CheckpointTests
{
    private static GraphProgram Model(int width)
    {
        var b = new GraphBuilder(DType.F32);
        var x = b.Input("x", DType.F32, 2, 3);
        var w = b.Parameter("w", Initializer.Normal(1), [3, width]);
        return GraphProgram.Inference(b.MatMul(x, w));
    }

    private static string Saved(GraphProgram p, out IExecutable run)
    {
        run = CpuBackend.Instance.Compile(p, new CompileOptions(Seed: 3, Threads: 1));
        var path = Path.Combine(Path.GetTempPath(), $"sg-ck-{Guid.NewGuid():N}.sgck");
        CheckpointFile.Save(path, run, p, epoch: 1);
        return path;
    }

    [Fact]
    public void A_checkpoint_round_trips_every_variable()
    {
        var p = Model(4);
        var path = Saved(p, out var run);
        using var other = CpuBackend.Instance.Compile(Model(4), new CompileOptions(Seed: 99, Threads: 1));
        CheckpointFile.Load(path, other, other.Program);
        Assert.Equal(run.ReadVariableBytes("w"), other.ReadVariableBytes("w"));
        run.Dispose();
    }

    [Fact]
    public void A_checkpoint_of_another_graph_is_refused_and_nothing_is_written()
    {
        var path = Saved(Model(4), out var run);
        run.Dispose();
        using var other = CpuBackend.Instance.Compile(Model(5), new CompileOptions(Seed: 99, Threads: 1));
        var before = other.ReadVariableBytes("w");
        var e = Assert.Throws<CheckpointException>(() => CheckpointFile.Load(path, other, other.Program));
        Assert.Contains("another graph", e.Message);
        Assert.Contains("'w'", e.Message);
        Assert.Equal(before, other.ReadVariableBytes("w"));
    }

    [Fact]
    public void Another_format_version_is_refused_with_the_version()
    {
        var path = Saved(Model(4), out var run);
        run.Dispose();
        var bytes = File.ReadAllBytes(path);
        bytes[8] = 7; // the u32 version after the 8-byte magic
        File.WriteAllBytes(path, bytes);
        var e = Assert.Throws<CheckpointException>(() => CheckpointFile.Read(path));
        Assert.Contains("format version 7", e.Message);
    }

    [Fact]
    public void A_truncated_checkpoint_is_refused_and_a_crashed_save_leaves_the_previous_one()
    {
        var path = Saved(Model(4), out var run);
        run.Dispose();
        var good = File.ReadAllBytes(path);
        File.WriteAllBytes(path, good[..^10]);
        Assert.Throws<CheckpointException>(() => CheckpointFile.Read(path));
        // Saving goes through path + ".tmp"; a leftover temporary file never replaces the checkpoint.
        File.WriteAllBytes(path, good);
        File.WriteAllBytes(path + ".tmp", good[..20]);
        Assert.Equal(1, CheckpointFile.Read(path).Epoch);
    }
}
