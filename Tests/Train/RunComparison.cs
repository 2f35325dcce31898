using StaticGraph.Checkpoints;
using StaticGraph.Train.Training;
using Xunit;

namespace StaticGraph.Tests.Train;

/// <summary>Two training runs' output folders compared: the same metrics (timings aside) and bitwise the same checkpoint.</summary>
internal static class RunComparison
{
    /// <summary>metrics.csv without its last column (seconds), one row per epoch.</summary>
    public static string[] MetricsWithoutSeconds(string dir) =>
        File.ReadAllLines(Path.Combine(dir, "metrics.csv")).Select(l => l[..l.LastIndexOf(',')]).ToArray();

    /// <summary>Asserts equal metrics, the same step and every checkpoint variable bitwise equal; returns <paramref name="actual"/>'s checkpoint.</summary>
    public static CheckpointData AssertSameRun(string expected, string actual)
    {
        Assert.Equal(MetricsWithoutSeconds(expected), MetricsWithoutSeconds(actual));
        var a = CheckpointFile.Read(Path.Combine(expected, Trainer.CheckpointName));
        var b = CheckpointFile.Read(Path.Combine(actual, Trainer.CheckpointName));
        Assert.Equal(a.Step, b.Step);
        Assert.Equal(a.Variables.Count, b.Variables.Count);
        foreach (var (va, vb) in a.Variables.Zip(b.Variables))
        {
            Assert.Equal(va.Name, vb.Name);
            Assert.True(va.Bytes.AsSpan().SequenceEqual(vb.Bytes), $"variable {va.Name} differs");
        }

        return b;
    }
}
