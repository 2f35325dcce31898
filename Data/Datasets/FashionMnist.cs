namespace StaticGraph.Data;

/// <summary>Fashion-MNIST: 70,000 28x28 greyscale images of clothing in 10 classes.</summary>
public static class FashionMnist
{
    /// <summary>Name, default folder (where Debian's dataset-fashion-mnist installs it) and normalisation statistics.</summary>
    public static MnistFamilySpec Spec { get; } =
        new("Fashion-MNIST", "/usr/share/datasets/fashion-mnist", Mean: 0.2860f, Std: 0.3530f, DebianPackage: "dataset-fashion-mnist", FetchName: "fashion-mnist");

    /// <summary>Loads both splits from <paramref name="dataDir"/> if given and complete, else from the default folder.</summary>
    public static (ImageDataset Train, ImageDataset Test) Load(string? dataDir) => MnistFamily.Load(Spec, dataDir);
}
