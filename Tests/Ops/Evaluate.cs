using StaticGraph.Backend;
using StaticGraph.Backend.Cpu;

namespace StaticGraph.Tests.Ops;

/// <summary>Runs small inference programs on the CPU and reads their outputs as f64, whatever their dtype.</summary>
internal static class Evaluate
{
    /// <summary>The value of <paramref name="output"/>, after <paramref name="feed"/> has set the program's inputs.</summary>
    public static double[] Values(Node output, Action<IExecutable>? feed = null, int threads = 2)
    {
        using var run = CpuBackend.Instance.Compile(GraphProgram.Inference(output), new CompileOptions(Threads: threads));
        feed?.Invoke(run);
        run.Run();
        return output.DType switch
        {
            DType.F32 => run.Read<float>(output).Select(v => (double)v).ToArray(),
            DType.F64 => run.Read<double>(output),
            DType.I32 => run.Read<int>(output).Select(v => (double)v).ToArray(),
            _ => throw new NotSupportedException($"cannot read {output.Type}"),
        };
    }

    /// <summary>Asserts that two arrays agree element by element within an absolute tolerance.</summary>
    public static void AssertClose(double[] expected, double[] actual, double tolerance)
    {
        Xunit.Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            Xunit.Assert.True(Math.Abs(expected[i] - actual[i]) <= tolerance,
                $"element {i}: expected {expected[i]:R}, got {actual[i]:R} (tolerance {tolerance:E1})");
        }
    }

    /// <summary>Values 0, 1, 2, ... n-1: every element distinct, so misplaced copies show.</summary>
    public static double[] Iota(long n) => Enumerable.Range(0, checked((int)n)).Select(i => (double)i).ToArray();
}
