namespace StaticGraph.Ops;

/// <summary>
/// The geometry of a square sliding window over the two spatial axes of an NCHW tensor: stride,
/// zero padding on every side and dilation. Convolution and pooling share it (pooling with
/// dilation 1), so their output sizes follow one formula, PyTorch's with <c>ceil_mode=False</c>:
/// <c>out = (in + 2*padding - dilation*(kernel-1) - 1) / stride + 1</c>.
/// </summary>
/// <param name="Stride">Step between window positions, at least 1.</param>
/// <param name="Padding">Implicit padding added before and after each spatial axis, at least 0.</param>
/// <param name="Dilation">Spacing between kernel taps, at least 1.</param>
public readonly record struct Conv2dWindow(int Stride, int Padding, int Dilation)
{
    /// <summary>Span of a kernel of <paramref name="kernel"/> taps once dilated.</summary>
    public int DilatedExtent(int kernel) => Dilation * (kernel - 1) + 1;

    /// <summary>
    /// Output extent along an axis of <paramref name="input"/> elements for a kernel of
    /// <paramref name="kernel"/> taps, or 0 when the dilated kernel is larger than the padded input.
    /// </summary>
    public int OutputExtent(int input, int kernel)
    {
        var room = input + 2 * Padding - DilatedExtent(kernel);
        return room < 0 ? 0 : room / Stride + 1;
    }

    /// <summary>Throws the type-rule failure when stride, padding or dilation are out of range.</summary>
    public void Validate()
    {
        if (Stride < 1) throw new OpTypeException($"expected stride >= 1, got {Stride}");
        if (Padding < 0) throw new OpTypeException($"expected padding >= 0, got {Padding}");
        if (Dilation < 1) throw new OpTypeException($"expected dilation >= 1, got {Dilation}");
    }

    /// <summary>
    /// The [OH, OW] output extents over an input of <paramref name="height"/> x <paramref name="width"/>
    /// for a <paramref name="kernelHeight"/> x <paramref name="kernelWidth"/> kernel, failing with a
    /// message naming both sizes when the dilated kernel does not fit the padded input.
    /// </summary>
    public (int Height, int Width) OutputExtents(int height, int width, int kernelHeight, int kernelWidth)
    {
        var (kh, kw) = (DilatedExtent(kernelHeight), DilatedExtent(kernelWidth));
        var (ph, pw) = (height + 2 * Padding, width + 2 * Padding);
        if (kh > ph || kw > pw)
        {
            throw new OpTypeException(
                $"the kernel {kernelHeight}x{kernelWidth}" + (Dilation > 1 ? $" (dilated to {kh}x{kw})" : "") +
                $" is larger than the padded input {ph}x{pw} ({height}x{width} with padding {Padding})");
        }
        return (OutputExtent(height, kernelHeight), OutputExtent(width, kernelWidth));
    }

    /// <summary>
    /// The shape rule of pooling: the [N, C, OH, OW] output of pooling an input of shape
    /// <paramref name="x"/> with a <paramref name="kernel"/> x <paramref name="kernel"/> window.
    /// Padding may be at most half the kernel (as in PyTorch), so every window covers at least one
    /// real element.
    /// </summary>
    public Shape PooledShape(Shape x, int kernel)
    {
        // The kernel first: a bad kernel also makes the default stride (the kernel) bad.
        if (kernel < 1) throw new OpTypeException($"expected kernel >= 1, got {kernel}");
        Validate();
        if (Dilation != 1) throw new OpTypeException($"expected pooling without dilation, got dilation {Dilation}");
        if (Padding > kernel / 2) throw new OpTypeException($"expected padding at most half the kernel ({kernel / 2} for kernel {kernel}), got {Padding}");
        if (x.Rank != 4) throw new OpTypeException($"expected the input [N,C,H,W] of rank 4, got {x}");
        var (oh, ow) = OutputExtents(x[2], x[3], kernel, kernel);
        return new Shape(x[0], x[1], oh, ow);
    }
}
