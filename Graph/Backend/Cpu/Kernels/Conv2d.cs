using System.Numerics;

namespace StaticGraph.Backend.Cpu.Kernels;

/// <summary>
/// 2-D convolution (no bias) on NCHW activations and OIHW filters, lowered to matrix products, or, for float 3x3
/// unit-stride filters on planes large enough, to Winograd F(2x2, 3x3) (<see cref="WinogradTiles.Applies{T}"/>).
/// Every function is single-threaded and works on a range of images, so callers parallelise by handing disjoint
/// ranges to threads, each with its own scratch of the size the matching <c>...ScratchElements</c> returns
/// (scratch need not be initialised or aligned). No function allocates. A kernel running a whole batch prepares the
/// filters once (<c>Prepare...Filter</c>: packed, or transformed) and hands every range the prepared copy; the
/// one-call forms (<see cref="Forward{T}"/>, ...) prepare them in scratch themselves.
/// </summary>
public static unsafe partial class Conv2d
{
    private static void CheckRange(in ConvGeometry g, int imageStart, int imageEnd)
    {
        g.Validate();
        if (imageStart < 0 || imageEnd < imageStart || imageEnd > g.Batch)
        {
            throw new ArgumentOutOfRangeException(nameof(imageEnd), $"Image range [{imageStart}, {imageEnd}) is outside the batch of {g.Batch}.");
        }
    }

    /// <summary>Elements to skip so that the next buffer starts on a cache line: <paramref name="elements"/> rounded up.</summary>
    private static long Lines<T>(long elements)
        where T : unmanaged
        => (elements * sizeof(T) + 63) / 64 * 64 / sizeof(T);
}
