using Xunit;

namespace StaticGraph.Tests.Nn;

/// <summary>Bit-for-bit comparison of float32 results (Assert.Equal would treat -0 and 0 as equal).</summary>
internal static class Bitwise
{
    public static void AssertIdentical(float[][] expected, float[][] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var k = 0; k < expected.Length; k++)
        {
            Assert.Equal(expected[k].Length, actual[k].Length);
            for (var i = 0; i < expected[k].Length; i++)
            {
                if (BitConverter.SingleToInt32Bits(expected[k][i]) != BitConverter.SingleToInt32Bits(actual[k][i]))
                    Assert.Fail($"output {k} element {i}: {expected[k][i]:R} vs {actual[k][i]:R}");
            }
        }
    }
}
