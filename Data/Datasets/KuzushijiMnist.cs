namespace StaticGraph.Data;

/// <summary>Kuzushiji-MNIST: 70,000 28x28 greyscale cursive Japanese characters in 10 classes.</summary>
public static class KuzushijiMnist
{
    /// <summary>Name, default folder and normalisation statistics (no Debian package installs it).</summary>
    public static MnistFamilySpec Spec { get; } =
        new("Kuzushiji-MNIST", "/usr/share/datasets/kmnist", Mean: 0.1904f, Std: 0.3475f, DebianPackage: null, FetchName: "kmnist");

    /// <summary>Loads both splits from <paramref name="dataDir"/> if given and complete, else from the default folder.</summary>
    public static (ImageDataset Train, ImageDataset Test) Load(string? dataDir) => MnistFamily.Load(Spec, dataDir);
}
