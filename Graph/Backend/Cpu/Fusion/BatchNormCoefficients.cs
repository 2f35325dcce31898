using System.Numerics;

namespace StaticGraph.Backend.Cpu;

/// <summary>
/// How batch normalisation maps channel c's values: <c>y = (x - mean) * scale + shift</c>, with the three coefficients
/// rounded once to the element type from <c>scale = gamma / sqrt(var + eps)</c> in double. The forward kernel and every
/// reader that recomputes its output (<see cref="BatchNormReluRows{T}"/>) take them from here, so a recomputed value is
/// bitwise the one the forward kernel writes.
/// </summary>
internal readonly record struct BatchNormCoefficients<T>(T Mean, T Scale, T Shift)
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>The coefficients of a channel whose statistics are <paramref name="mean"/> and <paramref name="variance"/>.</summary>
    public static BatchNormCoefficients<T> Of(double mean, double variance, T gamma, T beta, double eps) =>
        new(T.CreateTruncating(mean), T.CreateTruncating(double.CreateTruncating(gamma) / Math.Sqrt(variance + eps)), beta);

    /// <summary>
    /// <c>y[i] = (x[i] - mean) * scale + shift</c> for <paramref name="n"/> elements, and with <paramref name="relu"/>
    /// <c>max(y[i], 0)</c>; centring first keeps float32 accurate when mean &gt;&gt; std.
    /// </summary>
    public unsafe void Apply(T* x, T* y, long n, bool relu)
    {
        var w = Vector<T>.Count;
        var (vm, vs, vb) = (new Vector<T>(Mean), new Vector<T>(Scale), new Vector<T>(Shift));
        long i = 0;
        if (relu)
        {
            for (; i + w <= n; i += w) Vector.Max((Vector.Load(x + i) - vm) * vs + vb, Vector<T>.Zero).Store(y + i);
            for (; i < n; i++) y[i] = T.Max((x[i] - Mean) * Scale + Shift, T.Zero);
        }
        else
        {
            for (; i + w <= n; i += w) ((Vector.Load(x + i) - vm) * vs + vb).Store(y + i);
            for (; i < n; i++) y[i] = (x[i] - Mean) * Scale + Shift;
        }
    }
}
