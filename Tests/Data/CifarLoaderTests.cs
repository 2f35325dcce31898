using StaticGraph.Data;
using Xunit;

namespace StaticGraph.Tests.Data;

public class CifarLoaderTests
{
    // data_batch_i holds i + 1 images, the test batch 3: small, but every file distinguishable.
    private static void WriteCifar10(string folder)
    {
        Directory.CreateDirectory(folder);
        for (int i = 1; i <= 5; i++)
            File.WriteAllBytes(Path.Combine(folder, $"data_batch_{i}.bin"), CifarBytes.Cifar10(i, CifarBytes.Labels(i + 1, i, 10)));
        File.WriteAllBytes(Path.Combine(folder, "test_batch.bin"), CifarBytes.Cifar10(9, 7, 8, 9));
    }

    private static void WriteCifar100(string folder)
    {
        Directory.CreateDirectory(folder);
        File.WriteAllBytes(Path.Combine(folder, "train.bin"), CifarBytes.Cifar100(1, (0, 4), (19, 99), (5, 50), (7, 12)));
        File.WriteAllBytes(Path.Combine(folder, "test.bin"), CifarBytes.Cifar100(2, (3, 30), (11, 61)));
    }

    private static void SkipIfInstalled(string defaultFolder)
    {
        // A machine with the real data installed (or fetched into the user cache) would make a "not found" test find it.
        Assert.SkipWhen(Directory.Exists(defaultFolder), $"{defaultFolder} exists on this machine");
        var cache = DatasetFolders.UserCacheFor(defaultFolder.EndsWith("cifar-100", StringComparison.Ordinal) ? Cifar100.FetchName : Cifar10.FetchName);
        Assert.SkipWhen(Directory.Exists(cache), $"{cache} exists on this machine");
    }

    [Fact]
    public void Cifar10LoadsTheFiveTrainingBatchesInOrderAndTheTestBatch()
    {
        using var folder = new TempFolder();
        WriteCifar10(folder.Path);

        var (train, test) = Cifar10.Load(folder.Path);

        int[] expectedLabels = Enumerable.Range(1, 5).SelectMany(i => CifarBytes.Labels(i + 1, i, 10)).Select(b => (int)b).ToArray();
        Assert.Equal(expectedLabels, train.Labels);
        Assert.Equal([7, 8, 9], test.Labels);
        Assert.Equal(2 + 3 + 4 + 5 + 6, train.Count);
        // The first image of data_batch_2 follows the two of data_batch_1.
        Assert.Equal(CifarBytes.Pixel(2, 0, 1, 3, 4), train.Image(2)[1024 + 3 * 32 + 4]);
        Assert.Equal(CifarBytes.Pixel(9, 2, 2, 31, 0), test.Image(2)[2048 + 31 * 32]);
        foreach (ImageDataset split in (ImageDataset[])[train, test])
        {
            Assert.Equal((3, 32, 32), (split.Channels, split.Height, split.Width));
            Assert.Equal(10, split.ClassCount);
            Assert.Equal([0.4914f, 0.4822f, 0.4465f], split.Mean);
            Assert.Equal([0.2470f, 0.2435f, 0.2616f], split.Std);
        }
        Assert.Equal("CIFAR-10 train", train.Name);
        Assert.Equal("CIFAR-10 test", test.Name);
    }

    [Fact]
    public void Cifar10IsFoundInTheFolderTheTarballUnpacksTo()
    {
        using var folder = new TempFolder();
        WriteCifar10(Path.Combine(folder.Path, "cifar-10-batches-bin"));

        var (train, test) = Cifar10.Load(folder.Path);

        Assert.Equal(20, train.Count);
        Assert.Equal(3, test.Count);
    }

    [Fact]
    public void MissingCifar10FilesAreListedWithHowToGetThem()
    {
        SkipIfInstalled(Cifar10.DefaultFolder);
        using var folder = new TempFolder();
        folder.Write("data_batch_1.bin", CifarBytes.Cifar10(1, 1));
        folder.Write("data_batch_4.bin", CifarBytes.Cifar10(1, 1));

        var error = Assert.Throws<DatasetNotFoundException>(() => Cifar10.Load(folder.Path));

        Assert.Equal("CIFAR-10", error.DatasetName);
        Assert.Contains($"{folder.Path} (missing data_batch_2.bin, data_batch_3.bin, data_batch_5.bin, test_batch.bin)", error.Message);
        Assert.Contains(Path.Combine(folder.Path, "cifar-10-batches-bin") + " (no such folder)", error.Message);
        Assert.Contains(Cifar10.DefaultFolder, error.Message);
        Assert.Contains("--data-dir", error.Message);
        Assert.Contains("binary version", error.Message);
        Assert.Contains("cifar-10-binary.tar.gz", error.Message);
    }

    [Fact]
    public void AMalformedCifar10FileIsNamed()
    {
        using var folder = new TempFolder();
        WriteCifar10(folder.Path);
        string bad = folder.Write("data_batch_4.bin", [.. CifarBytes.Cifar10(4, 1, 2), 0]);

        var error = Assert.Throws<DataFormatException>(() => Cifar10.Load(folder.Path));

        Assert.Equal(bad, error.FilePath);
        Assert.Equal(2 * 3073, error.ByteOffset);
    }

    [Fact]
    public void Cifar100UsesFineLabelsByDefault()
    {
        using var folder = new TempFolder();
        WriteCifar100(folder.Path);

        var (train, test) = Cifar100.Load(folder.Path);

        Assert.Equal([4, 99, 50, 12], train.Labels);
        Assert.Equal([30, 61], test.Labels);
        Assert.Equal(100, train.ClassCount);
        Assert.Equal(100, test.ClassCount);
        Assert.Equal([0.5071f, 0.4865f, 0.4409f], train.Mean);
        Assert.Equal([0.2673f, 0.2564f, 0.2762f], train.Std);
        Assert.Equal(CifarBytes.Pixel(1, 3, 0, 0, 1), train.Image(3)[1]);
    }

    [Fact]
    public void Cifar100UsesCoarseLabelsOnRequest()
    {
        using var folder = new TempFolder();
        WriteCifar100(Path.Combine(folder.Path, "cifar-100-binary"));

        var (train, test) = Cifar100.Load(folder.Path, coarse: true);

        Assert.Equal([0, 19, 5, 7], train.Labels);
        Assert.Equal([3, 11], test.Labels);
        Assert.Equal(20, train.ClassCount);
        Assert.Equal(20, test.ClassCount);
        Assert.Contains("coarse", train.Name);
    }

    [Fact]
    public void MissingCifar100FilesAreListedWithHowToGetThem()
    {
        SkipIfInstalled(Cifar100.DefaultFolder);
        using var folder = new TempFolder();
        Directory.CreateDirectory(Path.Combine(folder.Path, "cifar-100-binary"));
        File.WriteAllBytes(Path.Combine(folder.Path, "cifar-100-binary", "train.bin"), CifarBytes.Cifar100(1, (0, 0)));

        var error = Assert.Throws<DatasetNotFoundException>(() => Cifar100.Load(folder.Path));

        Assert.Contains($"{folder.Path} (missing train.bin, test.bin)", error.Message);
        Assert.Contains(Path.Combine(folder.Path, "cifar-100-binary") + " (missing test.bin)", error.Message);
        Assert.Contains("--data-dir", error.Message);
        Assert.Contains("cifar-100-binary.tar.gz", error.Message);
    }

    [Fact]
    public void ANonexistentDataDirIsReported()
    {
        SkipIfInstalled(Cifar10.DefaultFolder);
        string missing = Path.Combine(Path.GetTempPath(), "staticgraph-no-such-" + Guid.NewGuid().ToString("N"));

        var error = Assert.Throws<DatasetNotFoundException>(() => Cifar10.Load(missing));

        Assert.Contains($"{missing} (no such folder)", error.Message);
        Assert.Equal(missing, error.SearchedFolders[0]);
    }
}
