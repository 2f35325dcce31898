namespace StaticGraph.Conformance;

/// <summary>The worst disagreement found between two tensors: its size and where.</summary>
/// <param name="Error">The error (0 when equal).</param>
/// <param name="Index">The element it occurred at (-1 for a norm or when equal).</param>
/// <param name="Expected">The reference's value there.</param>
/// <param name="Actual">The target's value there.</param>
public readonly record struct Mismatch(double Error, long Index, double Expected, double Actual)
{
    /// <summary>No disagreement.</summary>
    public static Mismatch None { get; } = new(0, -1, 0, 0);

    /// <summary>"element 12: expected 0.5, got 0.50001" or "by norm".</summary>
    public string Where => Error == 0 ? "equal" : Index < 0 ? "by norm" : $"element {Index}: expected {Expected:R}, got {Actual:R}";
}

/// <summary>
/// The error measures every comparison of the kit uses, so that one number means the same thing in every report: a
/// relative error with a floor for elements, a relative L2 norm for tensors, and bit equality.
/// </summary>
public static class Errors
{
    /// <summary>
    /// The largest |e - a| / max(|e|, 1% of the largest finite |e| of the tensor (at least 1e-3)): relative where a value is
    /// of the tensor's size, and absolute against the tensor's scale near zero, where a relative error means nothing (a
    /// sum that cancels). NaN must meet NaN, an infinity the same infinity; integers (given as doubles) compare exactly
    /// because any difference is at least 1 against a floor of 1e-5.
    /// </summary>
    public static Mismatch Relative(ReadOnlySpan<double> expected, ReadOnlySpan<double> actual)
    {
        if (expected.Length != actual.Length) throw new ArgumentException($"lengths differ: {expected.Length} and {actual.Length}");
        var largest = 1e-3;
        foreach (var e in expected)
            if (double.IsFinite(e)) largest = Math.Max(largest, Math.Abs(e));
        var floor = largest * 1e-2;
        var worst = Mismatch.None;
        for (var i = 0; i < expected.Length; i++)
        {
            var (e, a) = (expected[i], actual[i]);
            if (e == a || (double.IsNaN(e) && double.IsNaN(a))) continue;
            var error = double.IsFinite(e) && double.IsFinite(a) ? Math.Abs(e - a) / Math.Max(Math.Abs(e), floor) : double.PositiveInfinity;
            if (!(error <= worst.Error)) worst = new Mismatch(error, i, e, a);
        }
        return worst;
    }

    /// <summary>‖actual − expected‖ / ‖expected‖ (0 when both are zero, infinite when only the reference is).</summary>
    public static Mismatch RelativeL2(ReadOnlySpan<double> expected, ReadOnlySpan<double> actual)
    {
        if (expected.Length != actual.Length) throw new ArgumentException($"lengths differ: {expected.Length} and {actual.Length}");
        double difference = 0, norm = 0;
        for (var i = 0; i < expected.Length; i++)
        {
            difference += (actual[i] - expected[i]) * (actual[i] - expected[i]);
            norm += expected[i] * expected[i];
        }
        var error = norm == 0 ? (difference == 0 ? 0 : double.PositiveInfinity) : Math.Sqrt(difference / norm);
        return double.IsNaN(error) ? new Mismatch(double.PositiveInfinity, -1, 0, 0) : new Mismatch(error, -1, 0, 0);
    }

    /// <summary>
    /// ‖actual − expected‖ / max(‖expected‖, <paramref name="floor"/>): a variable's update against the reference's, where
    /// the floor (a thousandth of the step's largest update norm) stands in for the norm of an update that cancels to 0 in
    /// exact arithmetic (the gradient of a batch-norm shift feeding another batch norm), which has no relative error.
    /// </summary>
    public static Mismatch Update(ReadOnlySpan<double> expected, ReadOnlySpan<double> actual, double floor)
    {
        if (expected.Length != actual.Length) throw new ArgumentException($"lengths differ: {expected.Length} and {actual.Length}");
        double difference = 0, norm = 0;
        for (var i = 0; i < expected.Length; i++)
        {
            difference += (actual[i] - expected[i]) * (actual[i] - expected[i]);
            norm += expected[i] * expected[i];
        }
        var scale = Math.Max(Math.Sqrt(norm), floor);
        var error = difference == 0 ? 0 : scale == 0 ? double.PositiveInfinity : Math.Sqrt(difference) / scale;
        return new Mismatch(double.IsNaN(error) ? double.PositiveInfinity : error, -1, 0, 0);
    }

    /// <summary>|a - e| / |e| of two scalars (absolute when e is 0).</summary>
    public static Mismatch Scalar(double expected, double actual)
    {
        if (expected == actual || (double.IsNaN(expected) && double.IsNaN(actual))) return Mismatch.None;
        var error = Math.Abs(actual - expected) / (expected == 0 ? 1 : Math.Abs(expected));
        return new Mismatch(double.IsNaN(error) ? double.PositiveInfinity : error, 0, expected, actual);
    }

    /// <summary>The first element whose bits differ (error 1), or <see cref="Mismatch.None"/>.</summary>
    public static Mismatch Bitwise(Tensor expected, Tensor actual)
    {
        if (expected.Bits.Length != actual.Bits.Length) throw new ArgumentException($"lengths differ: {expected.Bits.Length} and {actual.Bits.Length}");
        for (var i = 0; i < expected.Bits.Length; i++)
            if (expected.Bits[i] != actual.Bits[i]) return new Mismatch(1, i, expected.Values[i], actual.Values[i]);
        return Mismatch.None;
    }
}
