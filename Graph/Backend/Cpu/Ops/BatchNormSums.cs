using System.Numerics;

namespace StaticGraph.Backend.Cpu;

/// <summary>
/// The per-channel sums batch normalisation needs, accumulated in double whatever the tensor's
/// dtype (float32 sums over a large batch lose digits). Every sum visits the images in order and
/// each image's row in a fixed vectorised order, so a channel's result depends only on the data,
/// never on which thread computes it.
/// </summary>
internal static unsafe class BatchNormSums
{
    /// <summary>The batch mean and biased variance of channel <paramref name="c"/>.</summary>
    /// <remarks>
    /// float64 data takes two passes (mean, then squared deviations), the reference's accuracy.
    /// float32 data takes one pass over the data shifted by the channel's first value: in double, the
    /// shifted sums of squares of float32 values lose nothing that matters, and the pass saved is a
    /// quarter of batch normalisation's memory traffic.
    /// </remarks>
    public static (double Mean, double Variance) Moments<T>(T* x, BatchNormLayout l, int c) where T : unmanaged
    {
        if (typeof(T) == typeof(double)) return TwoPassMoments((double*)x, l, c);
        var rows = (float*)x;
        double shift = rows[l.RowOffset(0, c)], sum = 0, sumSquares = 0;
        for (var n = 0; n < l.Images; n++)
        {
            var (s, s2) = RowShiftedSums(rows + l.RowOffset(n, c), l.Plane, shift);
            sum += s;
            sumSquares += s2;
        }
        var shiftedMean = sum / l.PerChannel;
        return (shift + shiftedMean, Math.Max(0, sumSquares / l.PerChannel - shiftedMean * shiftedMean));
    }

    /// <summary>Over channel <paramref name="c"/>: the sum of dy and the sum of dy * (x - mean).</summary>
    public static (double SumDy, double SumDyCentred) GradientSums<T>(T* x, T* dy, BatchNormLayout l, int c, double mean) where T : unmanaged
    {
        double sumDy = 0, sumDyCentred = 0;
        for (var n = 0; n < l.Images; n++)
        {
            var offset = l.RowOffset(n, c);
            var (a, b) = typeof(T) == typeof(float)
                ? RowGradientSums((float*)(x + offset), (float*)(dy + offset), l.Plane, mean)
                : RowGradientSums((double*)(x + offset), (double*)(dy + offset), l.Plane, mean);
            sumDy += a;
            sumDyCentred += b;
        }
        return (sumDy, sumDyCentred);
    }

    private static (double Mean, double Variance) TwoPassMoments(double* x, BatchNormLayout l, int c)
    {
        double sum = 0;
        for (var n = 0; n < l.Images; n++) sum += RowSum(x + l.RowOffset(n, c), l.Plane);
        var mean = sum / l.PerChannel;
        double squares = 0;
        for (var n = 0; n < l.Images; n++) squares += RowSquaredDeviations(x + l.RowOffset(n, c), l.Plane, mean);
        return (mean, squares / l.PerChannel);
    }

    private static double RowSum(double* p, long n)
    {
        var w = Vector<double>.Count;
        var acc = Vector<double>.Zero;
        long i = 0;
        for (; i + w <= n; i += w) acc += Vector.Load(p + i);
        var sum = Vector.Sum(acc);
        for (; i < n; i++) sum += p[i];
        return sum;
    }

    private static (double Sum, double SumSquares) RowShiftedSums(float* p, long n, double shift)
    {
        var w = Vector<float>.Count;
        var k = new Vector<double>(shift);
        Vector<double> lo = Vector<double>.Zero, hi = Vector<double>.Zero, lo2 = Vector<double>.Zero, hi2 = Vector<double>.Zero;
        long i = 0;
        for (; i + w <= n; i += w)
        {
            Vector.Widen(Vector.Load(p + i), out var a, out var b);
            a -= k;
            b -= k;
            lo += a;
            hi += b;
            lo2 += a * a;
            hi2 += b * b;
        }
        var sum = Vector.Sum(lo + hi);
        var sumSquares = Vector.Sum(lo2 + hi2);
        for (; i < n; i++)
        {
            var d = p[i] - shift;
            sum += d;
            sumSquares += d * d;
        }
        return (sum, sumSquares);
    }

    private static double RowSquaredDeviations(double* p, long n, double mean)
    {
        var w = Vector<double>.Count;
        var m = new Vector<double>(mean);
        var acc = Vector<double>.Zero;
        long i = 0;
        for (; i + w <= n; i += w)
        {
            var d = Vector.Load(p + i) - m;
            acc += d * d;
        }
        var sum = Vector.Sum(acc);
        for (; i < n; i++)
        {
            var d = p[i] - mean;
            sum += d * d;
        }
        return sum;
    }

    private static (double SumDy, double SumDyCentred) RowGradientSums(float* x, float* dy, long n, double mean)
    {
        var w = Vector<float>.Count;
        var m = new Vector<double>(mean);
        Vector<double> dyLo = Vector<double>.Zero, dyHi = Vector<double>.Zero, pLo = Vector<double>.Zero, pHi = Vector<double>.Zero;
        long i = 0;
        for (; i + w <= n; i += w)
        {
            Vector.Widen(Vector.Load(x + i), out var xa, out var xb);
            Vector.Widen(Vector.Load(dy + i), out var ga, out var gb);
            dyLo += ga;
            dyHi += gb;
            pLo += ga * (xa - m);
            pHi += gb * (xb - m);
        }
        var sumDy = Vector.Sum(dyLo + dyHi);
        var sumDyCentred = Vector.Sum(pLo + pHi);
        for (; i < n; i++)
        {
            sumDy += dy[i];
            sumDyCentred += dy[i] * (x[i] - mean);
        }
        return (sumDy, sumDyCentred);
    }

    private static (double SumDy, double SumDyCentred) RowGradientSums(double* x, double* dy, long n, double mean)
    {
        var w = Vector<double>.Count;
        var m = new Vector<double>(mean);
        Vector<double> accDy = Vector<double>.Zero, accP = Vector<double>.Zero;
        long i = 0;
        for (; i + w <= n; i += w)
        {
            var g = Vector.Load(dy + i);
            accDy += g;
            accP += g * (Vector.Load(x + i) - m);
        }
        var sumDy = Vector.Sum(accDy);
        var sumDyCentred = Vector.Sum(accP);
        for (; i < n; i++)
        {
            sumDy += dy[i];
            sumDyCentred += dy[i] * (x[i] - mean);
        }
        return (sumDy, sumDyCentred);
    }
}
