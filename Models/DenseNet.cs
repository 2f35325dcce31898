namespace StaticGraph.Models;

/// <summary>Options of DenseNet-BC for small images (Huang et al., "Densely Connected Convolutional Networks").</summary>
/// <param name="Depth">
/// Layers counted as in the paper: 3 dense blocks of n bottleneck layers (two convs each), the stem,
/// two transitions and the classifier, so depth = 6n + 4 (100 gives n = 16).
/// </param>
/// <param name="GrowthRate">k: channels each layer adds to its block's running concatenation.</param>
/// <param name="Compression">θ: a transition keeps floor(θ·channels) channels (0.5 in "-BC").</param>
/// <param name="BottleneckWidth">The 1x1 bottleneck conv produces this many times k channels (4 in the paper).</param>
public sealed record DenseNetOptions(int Depth = 100, int GrowthRate = 12, double Compression = 0.5, int BottleneckWidth = 4);

/// <summary>
/// DenseNet-BC for CIFAR-sized images: a 3x3 stem conv to 2k channels, three dense blocks whose
/// layers are BN-ReLU-conv1x1(4k)-BN-ReLU-conv3x3(k) with the output concatenated to the input, two
/// transitions BN-ReLU-conv1x1(θ·c)-avgpool2, then BN-ReLU, global average pooling and a linear head.
/// The spatial size halves twice (32 → 16 → 8, or 28 → 14 → 7).
/// </summary>
public static class DenseNet
{
    /// <summary>Builds the logits for <paramref name="images"/>.</summary>
    public static Node Build(GraphBuilder b, Node images, int classes, DenseNetOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if ((options.Depth - 4) % 6 != 0 || options.Depth < 10)
            throw new ArgumentException($"densenet-bc depth must be 6n+4 (40, 100, 190...), got {options.Depth}");
        if (options.GrowthRate <= 0 || options.BottleneckWidth <= 0)
            throw new ArgumentException($"densenet-bc growth rate and bottleneck width must be positive, got {options.GrowthRate} and {options.BottleneckWidth}");
        if (options.Compression is <= 0 or > 1)
            throw new ArgumentException($"densenet-bc compression must be in (0, 1], got {options.Compression}");
        var layersPerBlock = (options.Depth - 4) / 6;
        var k = options.GrowthRate;
        var x = b.Conv2d(images, 2 * k, kernel: 3, padding: 1, name: "stem");
        for (var block = 0; block < 3; block++)
        {
            using (b.Scope($"block{block + 1}"))
            {
                for (var layer = 0; layer < layersPerBlock; layer++)
                    x = DenseLayer(b, x, k, options.BottleneckWidth * k, $"layer{layer + 1}");
            }
            if (block < 2)
                x = Transition(b, x, (int)Math.Floor(options.Compression * x.Shape[1]), $"transition{block + 1}");
        }
        x = b.Relu(b.BatchNorm(x, name: "bn_last"));
        return b.Linear(b.GlobalAvgPool(x), classes, name: "fc");
    }

    private static Node DenseLayer(GraphBuilder b, Node x, int growth, int bottleneck, string name)
    {
        using var _ = b.Scope(name);
        var y = b.Conv2d(b.Relu(b.BatchNorm(x, name: "bn1")), bottleneck, kernel: 1, name: "conv1");
        y = b.Conv2d(b.Relu(b.BatchNorm(y, name: "bn2")), growth, kernel: 3, padding: 1, name: "conv2");
        return b.Concat(1, x, y);
    }

    private static Node Transition(GraphBuilder b, Node x, int outChannels, string name)
    {
        using var _ = b.Scope(name);
        var y = b.Conv2d(b.Relu(b.BatchNorm(x, name: "bn")), outChannels, kernel: 1, name: "conv");
        return b.AvgPool2d(y, kernel: 2);
    }
}
