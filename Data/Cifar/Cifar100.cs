namespace StaticGraph.Data;

/// <summary>
/// CIFAR-100: 60,000 32x32 colour images (50,000 training, 10,000 test), each with a fine label
/// (100 classes) and a coarse one (20 superclasses), read from the binary version: train.bin and test.bin.
/// </summary>
public static class Cifar100
{
    /// <summary>Number of fine classes.</summary>
    public const int FineClassCount = 100;

    /// <summary>Number of coarse classes (superclasses).</summary>
    public const int CoarseClassCount = 20;

    /// <summary>The name `sgtrain data fetch` knows it by, and its folder in the user cache.</summary>
    public const string FetchName = "cifar100";

    /// <summary>Folder searched after the user-given one and the user cache.</summary>
    public const string DefaultFolder = "/usr/share/datasets/cifar-100";

    /// <summary>The folder the official binary tarball (cifar-100-binary.tar.gz) unpacks to; searched inside each folder.</summary>
    public const string TarballFolder = "cifar-100-binary";

    /// <summary>The training file.</summary>
    public const string TrainFile = "train.bin";

    /// <summary>The test file.</summary>
    public const string TestFile = "test.bin";

    /// <summary>Per-channel (R, G, B) mean of pixel/255 over the training images.</summary>
    public static IReadOnlyList<float> Mean { get; } = [0.5071f, 0.4865f, 0.4409f];

    /// <summary>Per-channel (R, G, B) standard deviation of pixel/255 over the training images.</summary>
    public static IReadOnlyList<float> Std { get; } = [0.2673f, 0.2564f, 0.2762f];

    /// <summary>
    /// Loads both splits from <paramref name="dataDir"/> (or its cifar-100-binary subfolder) if it holds
    /// both files, else from <see cref="DefaultFolder"/>.
    /// </summary>
    /// <param name="dataDir">The user-given folder, if any.</param>
    /// <param name="coarse">Label images with their 20 coarse classes instead of the 100 fine ones.</param>
    /// <exception cref="DatasetNotFoundException">No searched folder holds both files.</exception>
    /// <exception cref="DataFormatException">A file is malformed.</exception>
    public static (ImageDataset Train, ImageDataset Test) Load(string? dataDir, bool coarse = false)
    {
        string[] all = [TrainFile, TestFile];
        string folder = CifarFolder.Locate(
            "CIFAR-100", dataDir, DatasetFolders.UserCacheFor(FetchName), DefaultFolder, TarballFolder, all, CifarFolder.HowToGetIt(FetchName, "cifar-100-binary.tar.gz", TarballFolder, all));
        CifarFormat format = coarse ? CifarFormat.Cifar100Coarse : CifarFormat.Cifar100Fine;
        ImageDataset train = CifarFolder.LoadSplit($"{format.Name} train", folder, [TrainFile], format, [.. Mean], [.. Std]);
        ImageDataset test = CifarFolder.LoadSplit($"{format.Name} test", folder, [TestFile], format, [.. Mean], [.. Std]);
        return (train, test);
    }
}
