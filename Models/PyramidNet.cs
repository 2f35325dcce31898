using StaticGraph.Regularizers;

namespace StaticGraph.Models;

/// <summary>
/// Options of PyramidNet with basic blocks (Han et al., "Deep Pyramidal Residual Networks"),
/// regularised with ShakeDrop (Yamada et al., "ShakeDrop Regularization for Deep Residual Learning").
/// </summary>
/// <param name="Depth">6n+2 layers, for n basic blocks per stage: 110 gives 18.</param>
/// <param name="Alpha">α: the channels grow additively by α/(3n) per block, from 16 to 16 + α.</param>
/// <param name="ShakeDropFinalSurvival">
/// p_L of ShakeDrop's linear decay rule p_l = 1 - (l/L)(1 - p_L) over the L = 3n blocks (0.5 in the
/// paper); null builds no ShakeDrop (the plain PyramidNet).
/// </param>
public sealed record PyramidNetOptions(int Depth = 110, int Alpha = 270, double? ShakeDropFinalSurvival = 0.5);

/// <summary>
/// PyramidNet for small images: a 3x3 stem conv to 16 channels and BN, then 3n basic blocks whose
/// width grows by α/(3n) each (rounded to the nearest integer; 110 and 270 give +5 per block,
/// 16 → 286), strides 2 at the first block of the second and third stages, then BN-ReLU, global
/// average pooling and a linear head. A block is BN-conv3x3-BN-ReLU-conv3x3-BN (no ReLU before the
/// first conv), its output passed through <see cref="ShakeDrop.Apply"/>, plus an identity shortcut
/// that is 2x2 average-pooled where the block strides and zero-padded on the channel axis to the new
/// width, so shortcuts add no parameters.
/// </summary>
public static class PyramidNet
{
    /// <summary>Builds the logits for <paramref name="images"/>.</summary>
    public static Node Build(GraphBuilder b, Node images, int classes, PyramidNetOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if ((options.Depth - 2) % 6 != 0 || options.Depth < 8)
            throw new ArgumentException($"pyramidnet depth must be 6n+2 (110, 272...), got {options.Depth}");
        if (options.Alpha < 0)
            throw new ArgumentException($"pyramidnet alpha must not be negative, got {options.Alpha}");
        if (options.ShakeDropFinalSurvival is { } p && (p <= 0 || p > 1))
            throw new ArgumentException($"pyramidnet ShakeDrop final survival probability must be in (0, 1], got {p}");
        var blocksPerStage = (options.Depth - 2) / 6;
        var blockCount = 3 * blocksPerStage;
        var x = b.BatchNorm(b.Conv2d(images, 16, kernel: 3, padding: 1, name: "stem"), name: "stem_bn");
        var blockIndex = 0;
        for (var stage = 0; stage < 3; stage++)
        {
            using var _ = b.Scope($"stage{stage + 1}");
            for (var block = 0; block < blocksPerStage; block++, blockIndex++)
            {
                var stride = stage > 0 && block == 0 ? 2 : 1;
                var channels = Width(options.Alpha, blockIndex + 1, blockCount);
                double? survival = options.ShakeDropFinalSurvival is { } final
                    ? ShakeDrop.LinearSurvival(blockIndex, blockCount, final)
                    : null;
                x = Block(b, x, channels, stride, survival, $"block{block + 1}");
            }
        }
        x = b.Relu(b.BatchNorm(x, name: "bn_last"));
        return b.Linear(b.GlobalAvgPool(x), classes, name: "fc");
    }

    /// <summary>The output channels of block <paramref name="k"/> (1-based): round(16 + α·k/blockCount).</summary>
    internal static int Width(int alpha, int k, int blockCount) =>
        (int)Math.Round(16 + (double)alpha * k / blockCount, MidpointRounding.ToEven);

    private static Node Block(GraphBuilder b, Node x, int outChannels, int stride, double? survival, string name)
    {
        using var _ = b.Scope(name);
        var y = b.Conv2d(b.BatchNorm(x, name: "bn1"), outChannels, kernel: 3, stride: stride, padding: 1, name: "conv1");
        y = b.Relu(b.BatchNorm(y, name: "bn2"));
        y = b.BatchNorm(b.Conv2d(y, outChannels, kernel: 3, padding: 1, name: "conv2"), name: "bn3");
        if (survival is { } p) y = ShakeDrop.Apply(b, y, p, "shakedrop");
        return b.Add(y, Shortcut(b, x, outChannels, stride));
    }

    /// <summary>
    /// The parameter-free shortcut: 2x2 average pooling where the block strides (an odd side is
    /// first padded with one zero row or column so that it meets the strided conv's ceil(side/2)),
    /// then zero channels appended up to the block's width.
    /// </summary>
    private static Node Shortcut(GraphBuilder b, Node x, int outChannels, int stride)
    {
        if (outChannels < x.Shape[1])
            throw new GraphBuildException($"pyramidnet block '{b.Qualify("")}': the width shrinks from {x.Shape[1]} to {outChannels}");
        if (stride != 1)
        {
            x = b.Pad(x, [0, 0, 0, 0], [0, 0, x.Shape[2] % 2, x.Shape[3] % 2]);
            x = b.AvgPool2d(x, kernel: stride);
        }
        return b.Pad(x, axis: 1, before: 0, after: outChannels - x.Shape[1]);
    }
}
