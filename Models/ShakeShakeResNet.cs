using StaticGraph.Regularizers;

namespace StaticGraph.Models;

/// <summary>Options of the shake-shake residual network (Gastaldi, "Shake-Shake regularization").</summary>
/// <param name="Depth">6n+2 layers, for n blocks per stage: 26 gives 4.</param>
/// <param name="BaseChannels">d of "2xd": channels of the first stage; stages double it (32, 64, 96 in the paper).</param>
/// <param name="Shake">How the two branches are mixed; null means Shake-Shake-Image, the paper's CIFAR-10 choice.</param>
public sealed record ShakeShakeResNetOptions(int Depth = 26, int BaseChannels = 32, ShakeOptions? Shake = null);

/// <summary>
/// Shake-shake ResNet "depth 2xd" for small images: a 3x3 stem conv to 16 channels with BN and ReLU,
/// three stages of n blocks (strides 1, 2, 2; channels d, 2d, 4d) and then ReLU, global average
/// pooling and a linear head. Each block sums two residual branches ReLU-conv3x3-BN-ReLU-conv3x3-BN
/// through <see cref="ShakeShake.Combine"/> and adds its shortcut: the identity, or where the shape
/// changes the paper's two-path shortcut (see <see cref="Shortcut"/>). The ReLU that opens both
/// branches is computed once and shared with the shortcut.
/// </summary>
public static class ShakeShakeResNet
{
    /// <summary>Builds the logits for <paramref name="images"/>.</summary>
    public static Node Build(GraphBuilder b, Node images, int classes, ShakeShakeResNetOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if ((options.Depth - 2) % 6 != 0 || options.Depth < 8)
            throw new ArgumentException($"shake-shake depth must be 6n+2 (26, 32...), got {options.Depth}");
        if (options.BaseChannels <= 0 || options.BaseChannels % 2 != 0)
            throw new ArgumentException($"shake-shake base channels must be positive and even (the shortcut halves them), got {options.BaseChannels}");
        var shake = options.Shake ?? new ShakeOptions();
        var blocksPerStage = (options.Depth - 2) / 6;
        var c = options.BaseChannels;
        var x = b.Relu(b.BatchNorm(b.Conv2d(images, 16, kernel: 3, padding: 1, name: "stem"), name: "stem_bn"));
        var channels = new[] { c, 2 * c, 4 * c };
        for (var stage = 0; stage < 3; stage++)
        {
            using var _ = b.Scope($"stage{stage + 1}");
            for (var block = 0; block < blocksPerStage; block++)
            {
                var stride = stage > 0 && block == 0 ? 2 : 1;
                x = Block(b, x, channels[stage], stride, shake, $"block{block + 1}");
            }
        }
        x = b.Relu(x);
        return b.Linear(b.GlobalAvgPool(x), classes, name: "fc");
    }

    /// <summary>
    /// The shake-shake shortcut of a block that changes shape (Gastaldi, section 2.3), applied to the
    /// block's input after a ReLU (<paramref name="activated"/>): one path is a 1x1 average pooling
    /// with the block's stride and a 1x1 conv to half the output channels; the other does the same to
    /// the input shifted by one pixel (x[:, :, 1:, 1:] padded with a zero row and column at the end),
    /// so that the two paths sample complementary pixels; the two are concatenated along the
    /// channels and batch-normalised.
    /// </summary>
    public static Node Shortcut(GraphBuilder b, Node activated, int outChannels, int stride, string name = "shortcut")
    {
        ArgumentNullException.ThrowIfNull(b);
        ArgumentNullException.ThrowIfNull(activated);
        if (outChannels <= 0 || outChannels % 2 != 0)
            throw new GraphBuildException($"shake-shake shortcut '{b.Qualify(name)}': the output channels {outChannels} must be positive and even");
        using var _ = b.Scope(name);
        var h = activated;
        var (n, c, height, width) = (h.Shape[0], h.Shape[1], h.Shape[2], h.Shape[3]);
        var path1 = b.Conv2d(Subsample(b, h, stride), outChannels / 2, kernel: 1, name: "conv1");
        var shifted = b.Pad(b.Slice(h, [0, 0, 1, 1], [n, c, height, width]), [0, 0, 0, 0], [0, 0, 1, 1]);
        var path2 = b.Conv2d(Subsample(b, shifted, stride), outChannels / 2, kernel: 1, name: "conv2");
        return b.BatchNorm(b.Concat(1, path1, path2), name: "bn");
    }

    /// <summary>
    /// The shortcut of a block taking <paramref name="x"/> (whose ReLU is <paramref name="activated"/>)
    /// to <paramref name="outChannels"/> with <paramref name="stride"/>: the identity where the shape
    /// is kept, else <see cref="Shortcut"/>.
    /// </summary>
    internal static Node ShortcutOrIdentity(GraphBuilder b, Node x, Node activated, int outChannels, int stride) =>
        x.Shape[1] == outChannels && stride == 1 ? x : Shortcut(b, activated, outChannels, stride);

    private static Node Subsample(GraphBuilder b, Node x, int stride) =>
        stride == 1 ? x : b.AvgPool2d(x, kernel: 1, stride: stride);

    private static Node Block(GraphBuilder b, Node x, int outChannels, int stride, ShakeOptions shake, string name)
    {
        using var _ = b.Scope(name);
        var h = b.Relu(x);
        var branch1 = Branch(b, h, outChannels, stride, "branch1");
        var branch2 = Branch(b, h, outChannels, stride, "branch2");
        var residual = ShakeShake.Combine(b, branch1, branch2, shake, "shake");
        return b.Add(residual, ShortcutOrIdentity(b, x, h, outChannels, stride));
    }

    /// <summary>One residual branch of the ReLU'd block input <paramref name="h"/>: conv3x3-BN-ReLU-conv3x3-BN.</summary>
    private static Node Branch(GraphBuilder b, Node h, int outChannels, int stride, string name)
    {
        using var _ = b.Scope(name);
        var y = b.Conv2d(h, outChannels, kernel: 3, stride: stride, padding: 1, name: "conv1");
        y = b.Relu(b.BatchNorm(y, name: "bn1"));
        y = b.Conv2d(y, outChannels, kernel: 3, padding: 1, name: "conv2");
        return b.BatchNorm(y, name: "bn2");
    }
}
