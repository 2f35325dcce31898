using StaticGraph.Regularizers;

namespace StaticGraph.Models;

/// <summary>Options of the wide residual network (Zagoruyko and Komodakis, "Wide Residual Networks").</summary>
/// <param name="Depth">6n+4 as the paper counts layers, for n blocks per stage: 16, 28, 40...</param>
/// <param name="WideningFactor">k: the stages have 16k, 32k and 64k channels.</param>
/// <param name="DropRate">Dropout probability between the two convs of each block; 0 builds no dropout at all.</param>
public sealed record WideResNetOptions(int Depth = 28, int WideningFactor = 10, double DropRate = 0);

/// <summary>
/// WRN-d-k for small images: a 3x3 stem conv to 16 channels, three stages of pre-activation wide
/// basic blocks (BN-ReLU-conv3x3, BN-ReLU, optional dropout, conv3x3; strides 1, 2, 2; channels
/// 16k, 32k, 64k), then BN-ReLU, global average pooling and a linear head. Where the channel count
/// changes the block pre-activates the input it shares with its 1x1 projection shortcut, as in
/// hysts' pytorch_image_classification; elsewhere the shortcut is the identity.
/// </summary>
public static class WideResNet
{
    /// <summary>Builds the logits for <paramref name="images"/>.</summary>
    public static Node Build(GraphBuilder b, Node images, int classes, WideResNetOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if ((options.Depth - 4) % 6 != 0 || options.Depth < 10)
            throw new ArgumentException($"wide resnet depth must be 6n+4 (16, 28, 40...), got {options.Depth}");
        if (options.WideningFactor <= 0)
            throw new ArgumentException($"wide resnet widening factor must be positive, got {options.WideningFactor}");
        if (options.DropRate is < 0 or >= 1)
            throw new ArgumentException($"wide resnet drop rate must be in [0, 1), got {options.DropRate}");
        var blocksPerStage = (options.Depth - 4) / 6;
        var k = options.WideningFactor;
        var x = b.Conv2d(images, 16, kernel: 3, padding: 1, name: "stem");
        var channels = new[] { 16 * k, 32 * k, 64 * k };
        for (var stage = 0; stage < 3; stage++)
        {
            using var _ = b.Scope($"stage{stage + 1}");
            for (var block = 0; block < blocksPerStage; block++)
            {
                var stride = stage > 0 && block == 0 ? 2 : 1;
                x = WideBlock(b, x, channels[stage], stride, options.DropRate, $"block{block + 1}");
            }
        }
        x = b.Relu(b.BatchNorm(x, name: "bn_last"));
        return b.Linear(b.GlobalAvgPool(x), classes, name: "fc");
    }

    private static Node WideBlock(GraphBuilder b, Node x, int outChannels, int stride, double dropRate, string name)
    {
        using var _ = b.Scope(name);
        var project = x.Shape[1] != outChannels || stride != 1;
        var preact = b.Relu(b.BatchNorm(x, name: "bn1"));
        var y = b.Conv2d(preact, outChannels, kernel: 3, stride: stride, padding: 1, name: "conv1");
        y = b.Relu(b.BatchNorm(y, name: "bn2"));
        if (dropRate > 0) y = Dropout.Apply(b, y, dropRate, "dropout");
        y = b.Conv2d(y, outChannels, kernel: 3, padding: 1, name: "conv2");
        var shortcut = project ? b.Conv2d(preact, outChannels, kernel: 1, stride: stride, name: "shortcut") : x;
        return b.Add(y, shortcut);
    }
}
