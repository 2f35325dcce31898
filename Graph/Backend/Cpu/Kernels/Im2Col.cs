using System.Numerics;
using System.Runtime.Intrinsics;

namespace StaticGraph.Backend.Cpu.Kernels;

/// <summary>
/// Lowers a convolution to a matrix product: <see cref="Im2Col{T}"/> gathers the receptive field of every output pixel
/// into a column matrix, <see cref="Col2ImAccumulate{T}"/> scatters gradients back. Zero padding, stride and dilation.
/// </summary>
public static unsafe class ConvColumns
{
    /// <summary>
    /// Fills the column matrix of one group of one image: <c>col[PatchSize, OutPlaneSize]</c>, row-major, where row
    /// <c>(c * KernelH + kh) * KernelW + kw</c> (c relative to the group) holds for each output pixel the input value that
    /// filter tap meets, or zero where it falls in the padding.
    /// </summary>
    /// <param name="g">Convolution geometry.</param>
    /// <param name="image">One input image, <c>[InChannels, Height, Width]</c>.</param>
    /// <param name="group">Which channel group to lower.</param>
    /// <param name="col">Destination, <c>PatchSize * OutPlaneSize</c> elements.</param>
    public static void Im2Col<T>(in ConvGeometry g, T* image, int group, T* col)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (Simd512<T>.IsUsable) Im2ColCore.Im2Col<T, Vector512<T>, Simd512<T>>(g, image, group, col, g.OutPlaneSize);
        else if (Simd256<T>.IsUsable) Im2ColCore.Im2Col<T, Vector256<T>, Simd256<T>>(g, image, group, col, g.OutPlaneSize);
        else Im2ColCore.Im2Col<T, T, SimdScalar<T>>(g, image, group, col, g.OutPlaneSize);
    }

    /// <summary>
    /// Adds every entry of a group's column matrix (laid out as in <see cref="Im2Col{T}"/>) onto the input pixel it
    /// was gathered from; entries that came from padding are dropped. The caller zeroes <paramref name="imageGrad"/> first.
    /// </summary>
    /// <param name="g">Convolution geometry.</param>
    /// <param name="col">Column-matrix gradient, <c>PatchSize * OutPlaneSize</c> elements.</param>
    /// <param name="group">Which channel group the columns belong to.</param>
    /// <param name="imageGrad">Gradient of one input image, <c>[InChannels, Height, Width]</c>, accumulated into.</param>
    public static void Col2ImAccumulate<T>(in ConvGeometry g, T* col, int group, T* imageGrad)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (Simd512<T>.IsUsable) Im2ColCore.Col2ImAccumulate<T, Vector512<T>, Simd512<T>>(g, col, g.OutPlaneSize, group, imageGrad, false);
        else if (Simd256<T>.IsUsable) Im2ColCore.Col2ImAccumulate<T, Vector256<T>, Simd256<T>>(g, col, g.OutPlaneSize, group, imageGrad, false);
        else Im2ColCore.Col2ImAccumulate<T, T, SimdScalar<T>>(g, col, g.OutPlaneSize, group, imageGrad, false);
    }
}
