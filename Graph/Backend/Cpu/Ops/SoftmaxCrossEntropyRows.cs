using System.Numerics;
using System.Numerics.Tensors;

namespace StaticGraph.Backend.Cpu;

/// <summary>The row computations shared by the softmax cross-entropy kernels and their checks.</summary>
internal static class SoftmaxCrossEntropyRows
{
    /// <summary>
    /// Writes exp(x - max x) into <paramref name="exps"/> and returns the maximum and the sum of the
    /// exponentials. The sum runs in the dtype with SIMD: its terms are all in (0, 1] with one of
    /// them 1, so even an f32 sum is accurate to a few ulps, and the log that follows halves that.
    /// </summary>
    public static (double Max, double Sum) ShiftedExp<T>(ReadOnlySpan<T> x, Span<T> exps) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var max = TensorPrimitives.Max(x);
        TensorPrimitives.Subtract(x, max, exps);
        TensorPrimitives.Exp(exps, exps);
        return (double.CreateTruncating(max), double.CreateTruncating(TensorPrimitives.Sum<T>(exps)));
    }

    /// <summary>A smoothed target: (1 - eps) t + eps / K.</summary>
    public static double Smoothed(double target, double smoothing, int classes) => (1 - smoothing) * target + smoothing / classes;

    /// <summary>Fails on the first class index outside [0, <paramref name="classes"/>), naming its row and value.</summary>
    public static unsafe void CheckClassIndices(Node node, CpuTensor labels, int classes)
    {
        var idx = labels.Ptr<int>();
        for (long row = 0; row < labels.Length; row++)
        {
            if ((uint)idx[row] >= (uint)classes)
                throw new IndexOutOfRangeException($"{GraphPrinter.Line(node)}: the label of row {row} is {idx[row]}, outside the {classes} classes [0, {classes})");
        }
    }
}
