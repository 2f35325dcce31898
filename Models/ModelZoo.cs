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
    };

    /// <summary>Every model name.</summary>
    public static IReadOnlyCollection<string> Names => Models.Keys;

    /// <summary>The builder of <paramref name="name"/>; unknown names list the known ones.</summary>
    public static ModelBuilder Get(string name) =>
        Models.TryGetValue(name, out var m) ? m
            : throw new ArgumentException($"unknown model '{name}'; known models: {string.Join(", ", Models.Keys)}");
}
