using System.Numerics;
using System.Runtime.CompilerServices;

namespace StaticGraph.Backend.Cpu.Kernels;

/// <summary>
/// Moves per-image channel planes into and out of the side-by-side layout of a <see cref="ColumnBatch"/>:
/// row r of the batch is plane r of image 0, then plane r of image 1, and so on.
/// </summary>
internal static unsafe class BatchRows
{
    /// <summary>
    /// Copies <paramref name="rows"/> consecutive planes of <paramref name="images"/> images (image i's first plane at
    /// <c>source + i * imageStride</c>) into batch rows <paramref name="stride"/> apart, zeroing each row's padding up to
    /// a whole vector so kernels may read full vectors there.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Gather<T, TVector, TSimd>(T* source, nint imageStride, int rows, int plane, int images, T* destination, nint stride)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVector : struct
        where TSimd : struct, ISimd<T, TVector>
    {
        for (int r = 0; r < rows; r++)
        {
            T* row = destination + r * stride;
            for (int i = 0; i < images; i++)
            {
                VectorLoops.Copy<T, TVector, TSimd>(source + i * imageStride + (nint)r * plane, row + (nint)i * plane, plane);
            }
        }

        ZeroPadding<T, TVector, TSimd>(destination, stride, rows, images * plane);
    }

    /// <summary>The inverse of <see cref="Gather{T, TVector, TSimd}"/> without the padding.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Scatter<T, TVector, TSimd>(T* source, nint stride, int rows, int plane, int images, T* destination, nint imageStride)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVector : struct
        where TSimd : struct, ISimd<T, TVector>
    {
        for (int r = 0; r < rows; r++)
        {
            T* row = source + r * stride;
            for (int i = 0; i < images; i++)
            {
                VectorLoops.Copy<T, TVector, TSimd>(row + (nint)i * plane, destination + i * imageStride + (nint)r * plane, plane);
            }
        }
    }

    /// <summary>
    /// Zeroes columns <c>[columns, columns rounded up to whole vectors)</c> of each row: kernels read them as part of
    /// their last vector, and stale scratch there could hold denormals, which slow FMAs down.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void ZeroPadding<T, TVector, TSimd>(T* matrix, nint stride, int rows, int columns)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVector : struct
        where TSimd : struct, ISimd<T, TVector>
    {
        int padded = (columns + TSimd.Lanes - 1) / TSimd.Lanes * TSimd.Lanes;
        if (padded == columns) return;
        for (int r = 0; r < rows; r++)
        {
            T* row = matrix + r * stride;
            for (int j = columns; j < padded; j++) row[j] = T.Zero;
        }
    }
}
