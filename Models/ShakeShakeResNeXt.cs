using StaticGraph.Regularizers;

namespace StaticGraph.Models;

/// <summary>
/// Options of the shake-shake ResNeXt "depth 2 x cardinality x width d" (Gastaldi, "Shake-Shake
/// regularization", its CIFAR-100 model ResNeXt-29 2x4x64d; blocks from Xie et al., "Aggregated
/// Residual Transformations for Deep Neural Networks").
/// </summary>
/// <param name="Depth">9n+2 layers, for n bottleneck blocks per stage: 29 gives 3.</param>
/// <param name="Cardinality">Groups of the 3x3 conv in each of the two branches (4).</param>
/// <param name="BaseWidth">d: channels per group in the first stage (64); stages double it.</param>
/// <param name="StemChannels">Channels of the 3x3 stem; the stages output 4x, 8x and 16x as many (64: 256, 512, 1024).</param>
/// <param name="Shake">How the two branches are mixed; null means Shake-Even-Image, the paper's CIFAR-100 choice.</param>
public sealed record ShakeShakeResNeXtOptions(int Depth = 29, int Cardinality = 4, int BaseWidth = 64, int StemChannels = 64,
    ShakeOptions? Shake = null);

/// <summary>
/// Shake-shake ResNeXt for small images: a 3x3 stem conv with BN and ReLU, three stages of n
/// bottleneck blocks (strides 1, 2, 2), then ReLU, global average pooling and a linear head. Each
/// block mixes two ResNeXt branches ReLU-conv1x1-BN-ReLU-gconv3x3-BN-ReLU-conv1x1-BN (the 3x3 conv
/// grouped by the cardinality, carrying the stride, and as wide as cardinality x d) through
/// <see cref="ShakeShake.Combine"/> and adds the shake-shake shortcut
/// (<see cref="ShakeShakeResNet.Shortcut"/>) where the shape changes, the identity elsewhere. Two
/// branches of cardinality 4 have the weights of one ResNeXt-29 8x64d block, hence the paper's 34.4M.
/// </summary>
public static class ShakeShakeResNeXt
{
    /// <summary>Builds the logits for <paramref name="images"/>.</summary>
    public static Node Build(GraphBuilder b, Node images, int classes, ShakeShakeResNeXtOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if ((options.Depth - 2) % 9 != 0 || options.Depth < 11)
            throw new ArgumentException($"shake-shake resnext depth must be 9n+2 (29, 38...), got {options.Depth}");
        if (options.Cardinality <= 0 || options.BaseWidth <= 0 || options.StemChannels <= 0)
            throw new ArgumentException($"shake-shake resnext cardinality, base width and stem channels must be positive, got {options.Cardinality}, {options.BaseWidth}, {options.StemChannels}");
        var shake = options.Shake ?? new ShakeOptions(Forward: ShakeMode.Shake, Backward: ShakeMode.Even, Level: ShakeLevel.Image);
        var blocksPerStage = (options.Depth - 2) / 9;
        var x = b.Relu(b.BatchNorm(b.Conv2d(images, options.StemChannels, kernel: 3, padding: 1, name: "stem"), name: "stem_bn"));
        for (var stage = 0; stage < 3; stage++)
        {
            using var _ = b.Scope($"stage{stage + 1}");
            var outChannels = (4 * options.StemChannels) << stage;
            var width = (options.Cardinality * options.BaseWidth) << stage;
            for (var block = 0; block < blocksPerStage; block++)
            {
                var stride = stage > 0 && block == 0 ? 2 : 1;
                x = Block(b, x, width, outChannels, stride, options.Cardinality, shake, $"block{block + 1}");
            }
        }
        x = b.Relu(x);
        return b.Linear(b.GlobalAvgPool(x), classes, name: "fc");
    }

    private static Node Block(GraphBuilder b, Node x, int width, int outChannels, int stride, int cardinality, ShakeOptions shake, string name)
    {
        using var _ = b.Scope(name);
        var h = b.Relu(x);
        var branch1 = Branch(b, h, width, outChannels, stride, cardinality, "branch1");
        var branch2 = Branch(b, h, width, outChannels, stride, cardinality, "branch2");
        var residual = ShakeShake.Combine(b, branch1, branch2, shake, "shake");
        return b.Add(residual, ShakeShakeResNet.ShortcutOrIdentity(b, x, h, outChannels, stride));
    }

    /// <summary>One bottleneck branch of the ReLU'd block input <paramref name="h"/>.</summary>
    private static Node Branch(GraphBuilder b, Node h, int width, int outChannels, int stride, int cardinality, string name)
    {
        using var _ = b.Scope(name);
        var y = b.Relu(b.BatchNorm(b.Conv2d(h, width, kernel: 1, name: "conv1"), name: "bn1"));
        y = b.Relu(b.BatchNorm(b.Conv2d(y, width, kernel: 3, stride: stride, padding: 1, groups: cardinality, name: "conv2"), name: "bn2"));
        return b.BatchNorm(b.Conv2d(y, outChannels, kernel: 1, name: "conv3"), name: "bn3");
    }
}
