namespace StaticGraph.Tests.Nn;

/// <summary>Reproducible test inputs.</summary>
internal static class TestValues
{
    /// <summary>Uniform values in [low, high) from a fixed seed.</summary>
    public static double[] Uniform(long count, int seed, double low = -1, double high = 1)
    {
        var random = new System.Random(seed);
        var values = new double[count];
        for (var i = 0; i < count; i++) values[i] = low + (high - low) * random.NextDouble();
        return values;
    }

    /// <summary>
    /// Distinct values at least <paramref name="gap"/> apart in random order: the maximum of any
    /// window is unique and stays the maximum under a small perturbation (no max-pool kinks).
    /// </summary>
    public static double[] DistinctShuffled(long count, int seed, double gap = 0.01)
    {
        var random = new System.Random(seed);
        var values = new double[count];
        for (var i = 0; i < count; i++) values[i] = (i - count / 2.0) * gap;
        random.Shuffle(values);
        return values;
    }

    /// <summary>The values rounded to float32.</summary>
    public static float[] ToSingle(double[] values) => Array.ConvertAll(values, v => (float)v);

    /// <summary>Element count of a shape.</summary>
    public static long Count(int[] shape) => shape.Aggregate(1L, (a, d) => a * d);
}
