using StaticGraph.Regularizers;

namespace StaticGraph.Models;

/// <summary>Options of the pre-activation ResNet (He et al., "Identity Mappings in Deep Residual Networks").</summary>
/// <param name="Depth">6n+2 layers: 20, 56, 110...</param>
/// <param name="BaseChannels">Channels of the first stage; stages double it.</param>
/// <param name="StochasticDepthFinalSurvival">
/// p_L of stochastic depth (Huang et al., "Deep Networks with Stochastic Depth"): block l of the
/// L = 3n residual branches survives with p_l = 1 - (l/L)(1 - p_L), decaying linearly from nearly 1
/// to p_L at the last block (0.5 in that paper); null, the default, builds no stochastic depth.
/// </param>
/// <param name="DropActivation">When set, the blocks' ReLUs are Drop-Activation (Liang et al.) with this drop probability.</param>
public sealed record ResNetPreactOptions(int Depth = 20, int BaseChannels = 16, double? StochasticDepthFinalSurvival = null, double? DropActivation = null);

/// <summary>
/// Pre-activation ResNet for small images: a 3x3 stem, three stages of basic blocks
/// (BN-ReLU-conv twice, strides 1, 2, 2, channels c, 2c, 4c), then BN-ReLU, global average pooling
/// and a linear head. The first block of each stage pre-activates the input it shares with its
/// shortcut (a 1x1 projection where the shape changes), as in hysts' pytorch_image_classification.
/// With <see cref="ResNetPreactOptions.StochasticDepthFinalSurvival"/> each residual branch passes
/// through <see cref="StochasticDepth.Apply"/> before its shortcut is added.
/// </summary>
public static class ResNetPreact
{
    /// <summary>Builds the logits for <paramref name="images"/>.</summary>
    public static Node Build(GraphBuilder b, Node images, int classes, ResNetPreactOptions options)
    {
        if ((options.Depth - 2) % 6 != 0 || options.Depth < 8)
            throw new ArgumentException($"resnet-preact depth must be 6n+2 (20, 56, 110...), got {options.Depth}");
        if (options.StochasticDepthFinalSurvival is { } pL && pL is < 0 or > 1)
            throw new ArgumentException($"resnet-preact stochastic depth final survival must be in [0, 1], got {pL}");
        var blocksPerStage = (options.Depth - 2) / 6;
        var c = options.BaseChannels;
        var x = b.Conv2d(images, c, kernel: 3, padding: 1, name: "stem");
        var channels = new[] { c, 2 * c, 4 * c };
        for (var stage = 0; stage < 3; stage++)
        {
            using var _ = b.Scope($"stage{stage + 1}");
            for (var block = 0; block < blocksPerStage; block++)
            {
                var stride = stage > 0 && block == 0 ? 2 : 1;
                double? survival = options.StochasticDepthFinalSurvival is { } final
                    ? StochasticDepth.LinearSurvival(stage * blocksPerStage + block, 3 * blocksPerStage, final)
                    : null;
                x = BasicBlock(b, x, channels[stage], stride, preactivateShortcut: block == 0, survival, options.DropActivation, name: $"block{block + 1}");
            }
        }
        x = b.Relu(b.BatchNorm(x, name: "bn_last"));
        return b.Linear(b.GlobalAvgPool(x), classes, name: "fc");
    }

    private static Node BasicBlock(GraphBuilder b, Node x, int outChannels, int stride, bool preactivateShortcut, double? survival, double? dropActivation, string name)
    {
        using var _ = b.Scope(name);
        var preact = Activate(b, b.BatchNorm(x, name: "bn1"), dropActivation);
        var y = b.Conv2d(preact, outChannels, kernel: 3, stride: stride, padding: 1, name: "conv1");
        y = Activate(b, b.BatchNorm(y, name: "bn2"), dropActivation);
        y = b.Conv2d(y, outChannels, kernel: 3, padding: 1, name: "conv2");
        if (survival is { } p) y = StochasticDepth.Apply(b, y, p, "stochastic_depth");
        var shortcutInput = preactivateShortcut ? preact : x;
        var shortcut = x.Shape[1] != outChannels || stride != 1
            ? b.Conv2d(shortcutInput, outChannels, kernel: 1, stride: stride, name: "shortcut")
            : shortcutInput;
        return b.Add(y, shortcut);
    }

    /// <summary>ReLU, or Drop-Activation (Liang et al.) with drop probability p inside the blocks when asked.</summary>
    private static Node Activate(GraphBuilder b, Node x, double? dropActivation) =>
        dropActivation is { } p ? DropActivation.Apply(b, x, p) : b.Relu(x);
}
