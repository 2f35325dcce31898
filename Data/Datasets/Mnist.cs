namespace StaticGraph.Data;

/// <summary>MNIST: 70,000 28x28 greyscale handwritten digits.</summary>
public static class Mnist
{
    /// <summary>Name, default folder and normalisation statistics (no Debian package installs it).</summary>
    public static MnistFamilySpec Spec { get; } =
        new("MNIST", "/usr/share/datasets/mnist", Mean: 0.1307f, Std: 0.3081f, DebianPackage: null, FetchName: "mnist");

    /// <summary>Loads both splits from <paramref name="dataDir"/> if given and complete, else from the default folder.</summary>
    public static (ImageDataset Train, ImageDataset Test) Load(string? dataDir) => MnistFamily.Load(Spec, dataDir);
}
