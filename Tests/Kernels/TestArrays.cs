using System.Numerics;
using Xunit;

namespace StaticGraph.Tests.Kernels;

/// <summary>Random test data and tolerance checks shared by the kernel tests.</summary>
internal static class TestArrays
{
    /// <summary>Uniform values in [-1, 1), already representable in <typeparamref name="T"/> so references see the same inputs.</summary>
    public static T[] Uniform<T>(long length, int seed)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var random = new System.Random(seed);
        var values = new T[length];
        for (long i = 0; i < length; i++) values[i] = T.CreateTruncating(2 * random.NextDouble() - 1);
        return values;
    }

    public static double[] ToDouble<T>(T[] values)
        where T : unmanaged, IFloatingPointIeee754<T>
        => Array.ConvertAll(values, v => double.CreateTruncating(v));

    public static double[] Abs(double[] values) => Array.ConvertAll(values, Math.Abs);

    /// <summary>Relative tolerance for a type: 1e-12 for double, 1e-5 for float.</summary>
    public static double Tolerance<T>() => typeof(T) == typeof(double) ? 1e-12 : 1e-5;

    /// <summary>
    /// Asserts <c>|actual - expected| &lt;= tolerance * magnitude</c> elementwise, where magnitude is the sum of the
    /// absolute values of the terms behind each expected value (the natural scale of rounding errors in a sum;
    /// a tiny floor keeps exact zeros comparable).
    /// </summary>
    public static void AssertClose<T>(double[] expected, double[] magnitude, T[] actual, double tolerance, string what)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            double got = double.CreateTruncating(actual[i]);
            double allowed = tolerance * Math.Max(magnitude[i], 1e-30);
            if (!(Math.Abs(got - expected[i]) <= allowed))
            {
                Assert.Fail($"{what}: element {i} is {got}, expected {expected[i]} (allowed error {allowed:E2}, magnitude {magnitude[i]:E2}).");
            }
        }
    }

    /// <summary>Asserts identical bits.</summary>
    public static void AssertIdentical<T>(T[] expected, T[] actual, string what)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            if (!expected[i].Equals(actual[i]) && !(T.IsNaN(expected[i]) && T.IsNaN(actual[i])))
            {
                Assert.Fail($"{what}: element {i} differs: {actual[i]} vs {expected[i]}.");
            }
        }
    }
}
