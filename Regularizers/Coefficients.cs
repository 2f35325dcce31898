using System.Globalization;

namespace StaticGraph.Regularizers;

/// <summary>Checks and shapes shared by the regularizers.</summary>
internal static class Coefficients
{
    /// <summary>
    /// The dimensions of a coefficient drawn once per image of <paramref name="x"/> ([N,1,...,1],
    /// broadcasting over every other axis), or once per batch ([1,...,1]).
    /// </summary>
    public static int[] Dims(Node x, bool perImage)
    {
        var dims = Enumerable.Repeat(1, x.Shape.Rank).ToArray();
        if (perImage) dims[0] = x.Shape[0];
        return dims;
    }

    /// <summary>Fails unless <paramref name="x"/> is an f32 or f64 tensor with a batch axis (the dtypes random draws are defined for).</summary>
    public static void ExpectActivation(GraphBuilder b, Node x, string what, string name)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (x.DType is not (DType.F32 or DType.F64) || x.Shape.Rank < 1)
            throw new GraphBuildException($"{what} '{b.Qualify(name)}': expected an f32 or f64 tensor with a batch axis, got {x}: {x.Type}");
    }

    /// <summary>Fails unless <paramref name="p"/> is a probability in [lo, hi] (or [lo, hi) when <paramref name="hiOpen"/>).</summary>
    public static void ExpectProbability(double p, string what, string parameter, bool hiOpen = false)
    {
        var ok = hiOpen ? p >= 0 && p < 1 : p >= 0 && p <= 1;
        if (!ok)
            throw new ArgumentOutOfRangeException(parameter, p, $"{what}: expected a probability in [0, 1{(hiOpen ? ")" : "]")}, got {Format(p)}");
    }

    /// <summary>
    /// Huang et al.'s linear decay rule: block l = blockIndex + 1 of L survives with probability
    /// 1 - l / L * (1 - p_L), so the first block keeps almost always and the last keeps with p_L.
    /// </summary>
    public static double LinearSurvival(int blockIndex, int blockCount, double finalProbability, string what)
    {
        if (blockCount < 1) throw new ArgumentOutOfRangeException(nameof(blockCount), blockCount, $"{what}: expected at least one block, got {blockCount}");
        if (blockIndex < 0 || blockIndex >= blockCount)
            throw new ArgumentOutOfRangeException(nameof(blockIndex), blockIndex, $"{what}: block index {blockIndex} is outside [0, {blockCount})");
        ExpectProbability(finalProbability, what, nameof(finalProbability));
        return 1 - (double)(blockIndex + 1) / blockCount * (1 - finalProbability);
    }

    /// <summary>A number as messages show it.</summary>
    public static string Format(double v) => v.ToString("G6", CultureInfo.InvariantCulture);
}
