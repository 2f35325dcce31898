using StaticGraph.Data;

namespace StaticGraph.Train.Training;

/// <summary>The data sets the command line knows, by name.</summary>
public static class DatasetCatalog
{
    private static readonly Dictionary<string, Func<string?, (ImageDataset Train, ImageDataset Test)>> Loaders = new(StringComparer.Ordinal)
    {
        ["fashion-mnist"] = FashionMnist.Load,
        ["mnist"] = Mnist.Load,
        ["kmnist"] = KuzushijiMnist.Load,
        ["cifar10"] = Cifar10.Load,
        ["cifar100"] = dir => Cifar100.Load(dir),
    };

    /// <summary>Every data set name.</summary>
    public static IReadOnlyCollection<string> Names => Loaders.Keys;

    /// <summary>Loads the training and test splits of <paramref name="name"/>.</summary>
    public static (ImageDataset Train, ImageDataset Test) Load(string name, string? dataDir) =>
        Loaders.TryGetValue(name, out var load) ? load(dataDir)
            : throw new ArgumentException($"unknown dataset '{name}'; known datasets: {string.Join(", ", Loaders.Keys)}");
}
