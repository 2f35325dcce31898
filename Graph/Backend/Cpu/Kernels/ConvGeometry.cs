namespace StaticGraph.Backend.Cpu.Kernels;

/// <summary>
/// Shape of a 2-D convolution over NCHW activations with OIHW filters (<c>[OutChannels, InChannels / Groups, KernelH, KernelW]</c>),
/// zero padding, stride and dilation.
/// </summary>
/// <param name="Batch">Images in the batch (N).</param>
/// <param name="InChannels">Input channels (C).</param>
/// <param name="Height">Input height (H).</param>
/// <param name="Width">Input width (W).</param>
/// <param name="OutChannels">Output channels.</param>
/// <param name="KernelH">Filter height.</param>
/// <param name="KernelW">Filter width.</param>
/// <param name="StrideH">Vertical stride.</param>
/// <param name="StrideW">Horizontal stride.</param>
/// <param name="PadH">Zero rows added above and below.</param>
/// <param name="PadW">Zero columns added left and right.</param>
/// <param name="DilationH">Vertical spacing between filter taps.</param>
/// <param name="DilationW">Horizontal spacing between filter taps.</param>
/// <param name="Groups">Channel groups; input and output channels must both be divisible by it.</param>
public readonly record struct ConvGeometry(
    int Batch, int InChannels, int Height, int Width, int OutChannels, int KernelH, int KernelW,
    int StrideH, int StrideW, int PadH, int PadW, int DilationH, int DilationW, int Groups)
{
    /// <summary>Output height: <c>(H + 2 PadH - DilationH (KernelH - 1) - 1) / StrideH + 1</c>.</summary>
    public int OutHeight => (Height + 2 * PadH - DilationH * (KernelH - 1) - 1) / StrideH + 1;

    /// <summary>Output width: <c>(W + 2 PadW - DilationW (KernelW - 1) - 1) / StrideW + 1</c>.</summary>
    public int OutWidth => (Width + 2 * PadW - DilationW * (KernelW - 1) - 1) / StrideW + 1;

    /// <summary>Input channels seen by one group.</summary>
    public int InChannelsPerGroup => InChannels / Groups;

    /// <summary>Output channels produced by one group.</summary>
    public int OutChannelsPerGroup => OutChannels / Groups;

    /// <summary>Pixels of one input plane (H * W).</summary>
    public int InPlaneSize => Height * Width;

    /// <summary>Pixels of one output plane (OutHeight * OutWidth).</summary>
    public int OutPlaneSize => OutHeight * OutWidth;

    /// <summary>Elements of one input image (C * H * W).</summary>
    public int InImageSize => InChannels * Height * Width;

    /// <summary>Elements of one output image (OutChannels * OutHeight * OutWidth).</summary>
    public int OutImageSize => OutChannels * OutHeight * OutWidth;

    /// <summary>Filter taps per output value, the rows of one group's column matrix: InChannelsPerGroup * KernelH * KernelW.</summary>
    public int PatchSize => InChannelsPerGroup * KernelH * KernelW;

    /// <summary>Elements of the whole filter tensor: OutChannels * PatchSize.</summary>
    public int WeightSize => OutChannels * PatchSize;

    /// <summary>Elements of the input tensor (Batch * C * H * W).</summary>
    public long InputSize => (long)Batch * InImageSize;

    /// <summary>Elements of the output tensor (Batch * OutChannels * OutHeight * OutWidth).</summary>
    public long OutputSize => (long)Batch * OutImageSize;

    /// <summary>A 1x1 filter with unit stride and no padding: the input image already is the column matrix.</summary>
    public bool IsPointwise => KernelH == 1 && KernelW == 1 && StrideH == 1 && StrideW == 1 && PadH == 0 && PadW == 0;

    /// <summary>Throws if the geometry is not a valid convolution.</summary>
    public void Validate()
    {
        if (Batch < 0 || InChannels <= 0 || Height <= 0 || Width <= 0 || OutChannels <= 0 || KernelH <= 0 || KernelW <= 0
            || StrideH <= 0 || StrideW <= 0 || PadH < 0 || PadW < 0 || DilationH <= 0 || DilationW <= 0 || Groups <= 0)
        {
            throw new ArgumentException($"Invalid convolution geometry {this}.");
        }

        if (InChannels % Groups != 0 || OutChannels % Groups != 0)
        {
            throw new ArgumentException($"Channels ({InChannels} in, {OutChannels} out) must be divisible by groups ({Groups}).");
        }

        // Checked on the numerator: integer division truncates toward zero and would hide a too-large kernel.
        if (Height + 2 * PadH - DilationH * (KernelH - 1) - 1 < 0 || Width + 2 * PadW - DilationW * (KernelW - 1) - 1 < 0)
        {
            throw new ArgumentException($"Convolution {this} has an empty output.");
        }
    }
}
