using StaticGraph.Regularizers;

namespace StaticGraph.Models;

/// <summary>Builds a model's graph: images [N,C,H,W] in, logits [N,classes] out.</summary>
public delegate Node ModelBuilder(GraphBuilder b, Node images, int classes);

/// <summary>
/// The model zoo by name, each with the model regularizers (<see cref="IModelRegularizerDefinition"/>) its architecture has a
/// place for; asking one of a model without that place is an error, not a no-op.
/// </summary>
public static class ModelZoo
{
    private const string Shake = ShakeShakeDefinition.Key, ShakeDrop = ShakeDropDefinition.Key, Depth = StochasticDepthDefinition.Key,
        DropAct = DropActivationDefinition.Key, Drop = DropoutDefinition.Key;

    private sealed record Entry(string[] Accepts, Func<RegularizerSettings, ModelBuilder> Build);

    private static readonly Dictionary<string, Entry> Models = new(StringComparer.Ordinal)
    {
        ["resnet-preact-20"] = PreAct(20),
        ["resnet-preact-56"] = PreAct(56),
        ["resnet-preact-110"] = PreAct(110),
        ["wrn-28-10"] = new([Drop], r => (b, x, k) => WideResNet.Build(b, x, k,
            new WideResNetOptions(Depth: 28, WideningFactor: 10, DropRate: DropoutDefinition.Probability(r) ?? 0))),
        ["shake-shake-26-2x32d"] = ShakeShakeNet(32),
        ["shake-shake-26-2x64d"] = ShakeShakeNet(64),
        ["shake-shake-26-2x96d"] = ShakeShakeNet(96),
        ["resnext-29-2x4x64d-shake"] = new([Shake], r => (b, x, k) => ShakeShakeResNeXt.Build(b, x, k,
            new ShakeShakeResNeXtOptions(Depth: 29, Cardinality: 4, BaseWidth: 64, Shake: ShakeShakeDefinition.Options(r)))),
        ["pyramidnet-110-270-shakedrop"] = new([ShakeDrop], r => (b, x, k) => PyramidNet.Build(b, x, k,
            new PyramidNetOptions(Depth: 110, Alpha: 270, ShakeDropFinalSurvival: ShakeDropDefinition.FinalSurvival(r) ?? 0.5))),
        ["densenet-bc-100-12"] = new([], _ => (b, x, k) => DenseNet.Build(b, x, k, new DenseNetOptions(Depth: 100, GrowthRate: 12))),
    };

    /// <summary>Every model name.</summary>
    public static IReadOnlyCollection<string> Names => Models.Keys;

    /// <summary>The builder of <paramref name="name"/>; unknown names list the known ones.</summary>
    public static ModelBuilder Get(string name) => Get(name, RegularizerSettings.None);

    /// <summary>
    /// The builder of <paramref name="name"/> with the model regularizers among <paramref name="regularizers"/> (batch
    /// regularizers there are the objective's, not the model's, and are ignored here).
    /// </summary>
    public static ModelBuilder Get(string name, RegularizerSettings regularizers)
    {
        ArgumentNullException.ThrowIfNull(regularizers);
        if (!Models.TryGetValue(name, out var entry))
            throw new ArgumentException($"unknown model '{name}'; known models: {string.Join(", ", Models.Keys)}");
        foreach (var asked in regularizers.Names.Where(n => RegularizerCatalog.Get(n) is IModelRegularizerDefinition))
        {
            if (!entry.Accepts.Contains(asked))
                throw new ArgumentException($"{asked} does not apply to {name}; it applies to {string.Join(", ", Models.Where(m => m.Value.Accepts.Contains(asked)).Select(m => m.Key))}");
        }
        return entry.Build(regularizers);
    }

    /// <summary>The model regularizers <paramref name="name"/> has a place for.</summary>
    public static IReadOnlyList<string> RegularizersOf(string name) =>
        Models.TryGetValue(name, out var entry) ? entry.Accepts : throw new ArgumentException($"unknown model '{name}'; known models: {string.Join(", ", Models.Keys)}");

    private static Entry PreAct(int depth) => new([Depth, DropAct], r => (b, x, k) => ResNetPreact.Build(b, x, k,
        new ResNetPreactOptions(Depth: depth, StochasticDepthFinalSurvival: StochasticDepthDefinition.FinalSurvival(r), DropActivation: DropActivationDefinition.Probability(r))));

    private static Entry ShakeShakeNet(int width) => new([Shake], r => (b, x, k) => ShakeShakeResNet.Build(b, x, k,
        new ShakeShakeResNetOptions(Depth: 26, BaseChannels: width, Shake: ShakeShakeDefinition.Options(r))));
}
