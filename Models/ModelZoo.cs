namespace StaticGraph.Models;

/// <summary>Builds a model's graph: images [N,C,H,W] in, logits [N,classes] out.</summary>
public delegate Node ModelBuilder(GraphBuilder b, Node images, int classes);

/// <summary>The model zoo by command-line name.</summary>
public static class ModelZoo
{
    private static readonly Dictionary<string, ModelBuilder> Models = new(StringComparer.Ordinal)
    {
        ["resnet-preact-20"] = (b, x, k) => ResNetPreact.Build(b, x, k, new ResNetPreactOptions(Depth: 20)),
        ["resnet-preact-56"] = (b, x, k) => ResNetPreact.Build(b, x, k, new ResNetPreactOptions(Depth: 56)),
        ["resnet-preact-110"] = (b, x, k) => ResNetPreact.Build(b, x, k, new ResNetPreactOptions(Depth: 110)),
        ["wrn-28-10"] = (b, x, k) => WideResNet.Build(b, x, k, new WideResNetOptions(Depth: 28, WideningFactor: 10)),
        ["shake-shake-26-2x32d"] = (b, x, k) => ShakeShakeResNet.Build(b, x, k, new ShakeShakeResNetOptions(Depth: 26, BaseChannels: 32)),
        ["shake-shake-26-2x64d"] = (b, x, k) => ShakeShakeResNet.Build(b, x, k, new ShakeShakeResNetOptions(Depth: 26, BaseChannels: 64)),
        ["shake-shake-26-2x96d"] = (b, x, k) => ShakeShakeResNet.Build(b, x, k, new ShakeShakeResNetOptions(Depth: 26, BaseChannels: 96)),
        ["resnext-29-2x4x64d-shake"] = (b, x, k) => ShakeShakeResNeXt.Build(b, x, k, new ShakeShakeResNeXtOptions(Depth: 29, Cardinality: 4, BaseWidth: 64)),
        ["pyramidnet-110-270-shakedrop"] = (b, x, k) => PyramidNet.Build(b, x, k, new PyramidNetOptions(Depth: 110, Alpha: 270, ShakeDropFinalSurvival: 0.5)),
        ["densenet-bc-100-12"] = (b, x, k) => DenseNet.Build(b, x, k, new DenseNetOptions(Depth: 100, GrowthRate: 12)),
    };

    /// <summary>Every model name.</summary>
    public static IReadOnlyCollection<string> Names => Models.Keys;

    /// <summary>The builder of <paramref name="name"/>; unknown names list the known ones.</summary>
    public static ModelBuilder Get(string name) =>
        Models.TryGetValue(name, out var m) ? m
            : throw new ArgumentException($"unknown model '{name}'; known models: {string.Join(", ", Models.Keys)}");
}
