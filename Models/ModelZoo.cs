namespace StaticGraph.Models;

/// <summary>Builds a model's graph: images [N,C,H,W] in, logits [N,classes] out.</summary>
public delegate Node ModelBuilder(GraphBuilder b, Node images, int classes);

/// <summary>The model zoo by command-line name, each with the regularizer options its architecture takes.</summary>
public static class ModelZoo
{
    private const string Shake = "--shake-*", ShakeDrop = "--shakedrop", Depth = "--stochastic-depth", DropAct = "--drop-activation", Drop = "--dropout";

    private sealed record Entry(string[] Accepts, Func<ModelVariant, ModelBuilder> Build);

    private static readonly Dictionary<string, Entry> Models = new(StringComparer.Ordinal)
    {
        ["resnet-preact-20"] = PreAct(20),
        ["resnet-preact-56"] = PreAct(56),
        ["resnet-preact-110"] = PreAct(110),
        ["wrn-28-10"] = new([Drop], v => (b, x, k) => WideResNet.Build(b, x, k, new WideResNetOptions(Depth: 28, WideningFactor: 10, DropRate: v.Dropout ?? 0))),
        ["shake-shake-26-2x32d"] = ShakeShakeNet(32),
        ["shake-shake-26-2x64d"] = ShakeShakeNet(64),
        ["shake-shake-26-2x96d"] = ShakeShakeNet(96),
        ["resnext-29-2x4x64d-shake"] = new([Shake], v => (b, x, k) => ShakeShakeResNeXt.Build(b, x, k,
            new ShakeShakeResNeXtOptions(Depth: 29, Cardinality: 4, BaseWidth: 64, Shake: v.Shake))),
        ["pyramidnet-110-270-shakedrop"] = new([ShakeDrop], v => (b, x, k) => PyramidNet.Build(b, x, k,
            new PyramidNetOptions(Depth: 110, Alpha: 270, ShakeDropFinalSurvival: v.ShakeDropFinalSurvival ?? 0.5))),
        ["densenet-bc-100-12"] = new([], _ => (b, x, k) => DenseNet.Build(b, x, k, new DenseNetOptions(Depth: 100, GrowthRate: 12))),
    };

    /// <summary>Every model name.</summary>
    public static IReadOnlyCollection<string> Names => Models.Keys;

    /// <summary>The builder of <paramref name="name"/>; unknown names list the known ones.</summary>
    public static ModelBuilder Get(string name) => Get(name, ModelVariant.Default);

    /// <summary>The builder of <paramref name="name"/> with the regularizers of <paramref name="variant"/>.</summary>
    public static ModelBuilder Get(string name, ModelVariant variant)
    {
        if (!Models.TryGetValue(name, out var entry))
            throw new ArgumentException($"unknown model '{name}'; known models: {string.Join(", ", Models.Keys)}");
        foreach (var (asked, option) in Asked(variant))
        {
            if (asked && !entry.Accepts.Contains(option))
                throw new ArgumentException($"{option} does not apply to {name}; it applies to {string.Join(", ", Models.Where(m => m.Value.Accepts.Contains(option)).Select(m => m.Key))}");
        }
        return entry.Build(variant);
    }

    private static (bool, string)[] Asked(ModelVariant v) =>
        [(v.Shake is not null, Shake), (v.ShakeDropFinalSurvival is not null, ShakeDrop), (v.StochasticDepthFinalSurvival is not null, Depth),
         (v.DropActivation is not null, DropAct), (v.Dropout is not null, Drop)];

    private static Entry PreAct(int depth) => new([Depth, DropAct], v => (b, x, k) => ResNetPreact.Build(b, x, k,
        new ResNetPreactOptions(Depth: depth, StochasticDepthFinalSurvival: v.StochasticDepthFinalSurvival, DropActivation: v.DropActivation)));

    private static Entry ShakeShakeNet(int width) => new([Shake], v => (b, x, k) => ShakeShakeResNet.Build(b, x, k,
        new ShakeShakeResNetOptions(Depth: 26, BaseChannels: width, Shake: v.Shake)));
}
