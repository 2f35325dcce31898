using System.Numerics;

namespace StaticGraph.Backend.Cpu;

/// <summary>
/// A value of shape <c>[N, C, ...]</c> that is not stored, or not read from where it is stored: a reader computes the
/// rows it needs (row <c>(n, c)</c> is the <see cref="Plane"/> elements of channel c in image n) from values that are.
/// A reader gets one through <see cref="CpuKernelArgs.InputRows"/> and uses it as an <see cref="IRows{T}"/> of its element type.
/// </summary>
public abstract class CpuRowSource
{
    /// <summary>The shape of the value.</summary>
    public abstract Shape Shape { get; }

    /// <summary>Elements per row: the product of the dimensions after the first two.</summary>
    public long Plane => Shape.Product(2, Shape.Rank);

    /// <summary>Elements of one image: channels times <see cref="Plane"/>.</summary>
    public long ImageElements => Shape[1] * Plane;
}

/// <summary>The typed side of a <see cref="CpuRowSource"/>.</summary>
/// <typeparam name="T">The element type.</typeparam>
internal unsafe interface IRows<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Writes row (<paramref name="image"/>, <paramref name="channel"/>) to <paramref name="destination"/>.</summary>
    void Row(int image, int channel, T* destination);
}

/// <summary>Helpers for readers of rows.</summary>
internal static unsafe class RowSourceExtensions
{
    /// <summary>
    /// Writes images <c>[first, end)</c> (every channel) to <paramref name="destination"/> in the value's own layout,
    /// so a kernel written for a stored tensor can read them as that tensor's images.
    /// </summary>
    public static void Images<T>(this IRows<T> rows, CpuRowSource source, int first, int end, T* destination)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int channels = source.Shape[1];
        long plane = source.Plane;
        for (var n = first; n < end; n++)
            for (var c = 0; c < channels; c++)
                rows.Row(n, c, destination + ((long)(n - first) * channels + c) * plane);
    }
}
