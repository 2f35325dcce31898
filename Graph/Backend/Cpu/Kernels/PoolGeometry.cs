namespace StaticGraph.Backend.Cpu.Kernels;

/// <summary>
/// Shape of a 2-D pooling over NCHW planes: a <c>KernelH x KernelW</c> window moved by the strides over the input
/// padded on each side (with -infinity for max pooling, zeros counted in the average for average pooling).
/// Output sizes round down, like PyTorch with <c>ceil_mode = false</c>.
/// </summary>
/// <param name="Batch">Images (N).</param>
/// <param name="Channels">Channels (C); pooling works on the N * C planes independently.</param>
/// <param name="Height">Input height.</param>
/// <param name="Width">Input width.</param>
/// <param name="KernelH">Window height.</param>
/// <param name="KernelW">Window width.</param>
/// <param name="StrideH">Vertical stride.</param>
/// <param name="StrideW">Horizontal stride.</param>
/// <param name="PadH">Padding rows above and below.</param>
/// <param name="PadW">Padding columns left and right.</param>
public readonly record struct PoolGeometry(
    int Batch, int Channels, int Height, int Width, int KernelH, int KernelW, int StrideH, int StrideW, int PadH, int PadW)
{
    /// <summary>Output height: <c>(H + 2 PadH - KernelH) / StrideH + 1</c>.</summary>
    public int OutHeight => (Height + 2 * PadH - KernelH) / StrideH + 1;

    /// <summary>Output width: <c>(W + 2 PadW - KernelW) / StrideW + 1</c>.</summary>
    public int OutWidth => (Width + 2 * PadW - KernelW) / StrideW + 1;

    /// <summary>Planes in the batch (N * C).</summary>
    public int Planes => Batch * Channels;

    /// <summary>Elements of one input plane.</summary>
    public int InPlaneSize => Height * Width;

    /// <summary>Elements of one output plane.</summary>
    public int OutPlaneSize => OutHeight * OutWidth;

    /// <summary>Throws if the geometry is not a valid pooling.</summary>
    public void Validate()
    {
        if (Batch < 0 || Channels <= 0 || Height <= 0 || Width <= 0 || KernelH <= 0 || KernelW <= 0
            || StrideH <= 0 || StrideW <= 0 || PadH < 0 || PadW < 0)
        {
            throw new ArgumentException($"Invalid pooling geometry {this}.");
        }

        // As in PyTorch: a window must always overlap the image, so padding is at most half the window.
        if (2 * PadH > KernelH || 2 * PadW > KernelW)
        {
            throw new ArgumentException($"Pooling padding must be at most half the window: {this}.");
        }

        if (Height + 2 * PadH < KernelH || Width + 2 * PadW < KernelW)
        {
            throw new ArgumentException($"Pooling window larger than the padded input: {this}.");
        }
    }
}
