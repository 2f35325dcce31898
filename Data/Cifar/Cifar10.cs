namespace StaticGraph.Data;

/// <summary>
/// CIFAR-10: 60,000 32x32 colour images in 10 classes (50,000 training, 10,000 test), read from the
/// binary version: data_batch_1.bin to data_batch_5.bin and test_batch.bin.
/// </summary>
public static class Cifar10
{
    /// <summary>Number of classes.</summary>
    public const int ClassCount = 10;

    /// <summary>The name `sgtrain data fetch` knows it by, and its folder in the user cache.</summary>
    public const string FetchName = "cifar10";

    /// <summary>Folder searched after the user-given one and the user cache.</summary>
    public const string DefaultFolder = "/usr/share/datasets/cifar-10";

    /// <summary>The folder the official binary tarball (cifar-10-binary.tar.gz) unpacks to; searched inside each folder.</summary>
    public const string TarballFolder = "cifar-10-batches-bin";

    /// <summary>The five training files, read in this order.</summary>
    public static IReadOnlyList<string> TrainFiles { get; } =
        ["data_batch_1.bin", "data_batch_2.bin", "data_batch_3.bin", "data_batch_4.bin", "data_batch_5.bin"];

    /// <summary>The test file.</summary>
    public const string TestFile = "test_batch.bin";

    /// <summary>Per-channel (R, G, B) mean of pixel/255 over the training images.</summary>
    public static IReadOnlyList<float> Mean { get; } = [0.4914f, 0.4822f, 0.4465f];

    /// <summary>Per-channel (R, G, B) standard deviation of pixel/255 over the training images.</summary>
    public static IReadOnlyList<float> Std { get; } = [0.2470f, 0.2435f, 0.2616f];

    /// <summary>
    /// Loads both splits from <paramref name="dataDir"/> (or its cifar-10-batches-bin subfolder) if it holds
    /// all six files, else from the user cache, else from <see cref="DefaultFolder"/>.
    /// </summary>
    /// <exception cref="DatasetNotFoundException">No searched folder holds all six files.</exception>
    /// <exception cref="DataFormatException">A file is malformed.</exception>
    public static (ImageDataset Train, ImageDataset Test) Load(string? dataDir)
    {
        string[] all = [.. TrainFiles, TestFile];
        string folder = CifarFolder.Locate(
            "CIFAR-10", dataDir, DatasetFolders.UserCacheFor(FetchName), DefaultFolder, TarballFolder, all, CifarFolder.HowToGetIt(FetchName, "cifar-10-binary.tar.gz", TarballFolder, all));
        ImageDataset train = CifarFolder.LoadSplit("CIFAR-10 train", folder, TrainFiles, CifarFormat.Cifar10, [.. Mean], [.. Std]);
        ImageDataset test = CifarFolder.LoadSplit("CIFAR-10 test", folder, [TestFile], CifarFormat.Cifar10, [.. Mean], [.. Std]);
        return (train, test);
    }
}
