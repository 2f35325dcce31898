using StaticGraph.Conformance;

namespace StaticGraph.Tests.Ops;

/// <summary>Runs small inference programs on the CPU through the kit's runner and reads their outputs as f64, whatever their dtype.</summary>
internal static class Evaluate
{
    /// <summary>The value of <paramref name="output"/> (a program without inputs).</summary>
    public static double[] Values(Node output, int threads = 2) => Reference.Run(GraphProgram.Inference(output), threads: threads)[0].Values;

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
