using StaticGraph.Data;
using Xunit;

namespace StaticGraph.Tests.Data;

public class MnistFamilyTests
{
    // A cache and a default folder that cannot exist, so these tests never depend on what is installed or fetched.
    private static MnistFamilySpec SpecWithoutDefault(MnistFamilySpec spec) => spec with
    {
        DefaultFolder = Path.Combine(Path.GetTempPath(), "staticgraph-no-such-folder-" + Guid.NewGuid().ToString("N")),
        CacheFolder = Path.Combine(Path.GetTempPath(), "staticgraph-no-such-cache-" + Guid.NewGuid().ToString("N")),
    };

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void LoadsBothSplitsFromTheGivenFolder(bool gzip)
    {
        using var folder = new TempFolder();
        FakeMnistFolder.Write(folder, gzip);

        var (train, test) = MnistFamily.Load(SpecWithoutDefault(FashionMnist.Spec), folder.Path);

        Assert.Equal("Fashion-MNIST train", train.Name);
        Assert.Equal(FakeMnistFolder.TrainCount, train.Count);
        Assert.Equal(FakeMnistFolder.TestCount, test.Count);
        Assert.Equal((1, 28, 28, 10), (train.Channels, train.Height, train.Width, train.ClassCount));
        Assert.Equal(FakeMnistFolder.ImagePixels(FakeMnistFolder.TrainCount, 1), train.Pixels);
        Assert.Equal(FakeMnistFolder.LabelValues(FakeMnistFolder.TestCount, 2).Select(b => (int)b), test.Labels);
        Assert.Equal([0.2860f], train.Mean);
        Assert.Equal([0.3530f], test.Std);
    }

    [Fact]
    public void EachDatasetCarriesItsOwnStatisticsAndDefaultFolder()
    {
        Assert.Equal((0.2860f, 0.3530f, "/usr/share/datasets/fashion-mnist"), (FashionMnist.Spec.Mean, FashionMnist.Spec.Std, FashionMnist.Spec.DefaultFolder));
        Assert.Equal((0.1307f, 0.3081f, "/usr/share/datasets/mnist"), (Mnist.Spec.Mean, Mnist.Spec.Std, Mnist.Spec.DefaultFolder));
        Assert.Equal((0.1904f, 0.3475f, "/usr/share/datasets/kmnist"), (KuzushijiMnist.Spec.Mean, KuzushijiMnist.Spec.Std, KuzushijiMnist.Spec.DefaultFolder));
    }

    [Fact]
    public void UncompressedFileIsPreferredOverGzip()
    {
        using var folder = new TempFolder();
        FakeMnistFolder.Write(folder, gzip: true);
        // A raw train-label file with different values sits beside the .gz one.
        FakeMnistFolder.Write(folder, "train-labels-idx1-ubyte", FakeMnistFolder.LabelFile(FakeMnistFolder.TrainCount, 7), gzip: false);

        var (train, _) = MnistFamily.Load(SpecWithoutDefault(Mnist.Spec), folder.Path);

        Assert.Equal(FakeMnistFolder.LabelValues(FakeMnistFolder.TrainCount, 7).Select(b => (int)b), train.Labels);
    }

    [Fact]
    public void MissingDatasetListsTheFoldersSearchedAndHowToInstall()
    {
        using var folder = new TempFolder();
        FakeMnistFolder.Write(folder, "train-images-idx3-ubyte", FakeMnistFolder.ImageFile(2, 0), gzip: true);
        MnistFamilySpec spec = SpecWithoutDefault(FashionMnist.Spec);

        var error = Assert.Throws<DatasetNotFoundException>(() => MnistFamily.Load(spec, folder.Path));

        Assert.Equal([folder.Path, spec.CacheFolder!, spec.DefaultFolder], error.SearchedFolders);
        Assert.Contains(folder.Path, error.Message);
        Assert.Contains(spec.CacheFolder + " (no such folder)", error.Message);
        Assert.Contains(spec.DefaultFolder + " (no such folder)", error.Message);
        Assert.Contains("t10k-labels-idx1-ubyte[.gz]", error.Message);
        Assert.DoesNotContain("missing train-images", error.Message);
        Assert.DoesNotContain("--data-dir (not given)", error.Message);
        Assert.Contains("Install it with `apt-get install dataset-fashion-mnist` (Debian), download it with `sgtrain data fetch fashion-mnist`, or pass --data-dir with the four IDX files", error.Message);
    }

    [Fact]
    public void MissingDatasetWithoutAPackageSaysToPassTheFolder()
    {
        MnistFamilySpec spec = SpecWithoutDefault(KuzushijiMnist.Spec);

        var error = Assert.Throws<DatasetNotFoundException>(() => MnistFamily.Load(spec, null));

        // All three places are named: the folder not given, the user cache and the system folder.
        Assert.Equal([spec.CacheFolder!, spec.DefaultFolder], error.SearchedFolders);
        Assert.Contains("Kuzushiji-MNIST was not found. Folders searched: --data-dir (not given); " + spec.CacheFolder + " (no such folder); " + spec.DefaultFolder + " (no such folder).", error.Message);
        Assert.Contains("sgtrain data fetch kmnist", error.Message);
        Assert.DoesNotContain("apt-get", error.Message);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void LabelCountMismatchNamesTheLabelFile(bool gzip)
    {
        using var folder = new TempFolder();
        FakeMnistFolder.Write(folder, gzip);
        string labels = FakeMnistFolder.Write(folder, "t10k-labels-idx1-ubyte", FakeMnistFolder.LabelFile(FakeMnistFolder.TestCount + 1, 0), gzip);

        var error = Assert.Throws<DataFormatException>(() => MnistFamily.Load(SpecWithoutDefault(Mnist.Spec), folder.Path));

        Assert.Equal(labels, error.FilePath);
        Assert.Equal(4, error.ByteOffset);
        Assert.Contains($"holds {FakeMnistFolder.TestCount + 1} labels", error.Message);
        Assert.Contains($"{FakeMnistFolder.TestCount} images", error.Message);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void LabelOutOfRangeNamesFileAndOffset(bool gzip)
    {
        using var folder = new TempFolder();
        FakeMnistFolder.Write(folder, gzip);
        byte[] values = FakeMnistFolder.LabelValues(FakeMnistFolder.TrainCount, 1);
        values[3] = 10;
        string labels = FakeMnistFolder.Write(folder, "train-labels-idx1-ubyte", IdxBytes.Build([FakeMnistFolder.TrainCount], values), gzip);

        var error = Assert.Throws<DataFormatException>(() => MnistFamily.Load(SpecWithoutDefault(Mnist.Spec), folder.Path));

        Assert.Equal(labels, error.FilePath);
        Assert.Equal(8 + 3, error.ByteOffset);
        Assert.Equal(gzip, error.OffsetIsInDecompressedStream);
        Assert.Contains("label 10 of image 3", error.Message);
    }

    [Theory]
    [InlineData(new[] { 5, 27, 28 })]
    [InlineData(new[] { 5, 784 })]
    [InlineData(new[] { 5, 1, 28, 28 })]
    public void ImagesOfTheWrongShapeAreRefused(int[] shape)
    {
        using var folder = new TempFolder();
        FakeMnistFolder.Write(folder, gzip: false);
        string images = FakeMnistFolder.Write(
            folder, "train-images-idx3-ubyte", IdxBytes.Build(shape, new byte[shape.Aggregate(1, (a, b) => a * b)]), gzip: false);

        var error = Assert.Throws<DataFormatException>(() => MnistFamily.Load(SpecWithoutDefault(Mnist.Spec), folder.Path));

        Assert.Equal(images, error.FilePath);
        Assert.Contains("Nx28x28", error.Message);
    }

    [Fact]
    public void TakeKeepsTheFirstImagesAndTheirLabels()
    {
        using var folder = new TempFolder();
        FakeMnistFolder.Write(folder, gzip: false);
        var (train, _) = MnistFamily.Load(SpecWithoutDefault(Mnist.Spec), folder.Path);

        ImageDataset firstTwo = train.Take(2);

        Assert.Equal(2, firstTwo.Count);
        Assert.Equal(train.Pixels.AsSpan(0, 2 * 784).ToArray(), firstTwo.Pixels);
        Assert.Equal(train.Labels[..2], firstTwo.Labels);
        Assert.Equal(train.Mean, firstTwo.Mean);
        Assert.Same(train, train.Take(train.Count));
        Assert.Same(train, train.Take(int.MaxValue));
        Assert.Equal(0, train.Take(0).Count);
        Assert.Throws<ArgumentOutOfRangeException>(() => train.Take(-1));
    }

    [Fact]
    public void ImageDatasetRejectsInconsistentArrays()
    {
        float[] one = [0.5f];
        Assert.Throws<ArgumentException>(() => new ImageDataset("x", new byte[5], [0, 1], 1, 1, 2, 10, one, one));
        Assert.Throws<ArgumentException>(() => new ImageDataset("x", new byte[4], [0, 10], 1, 1, 2, 10, one, one));
        Assert.Throws<ArgumentException>(() => new ImageDataset("x", new byte[4], [0, 1], 1, 1, 2, 10, one, [0f]));
        Assert.Throws<ArgumentException>(() => new ImageDataset("x", new byte[4], [0, 1], 1, 1, 2, 10, [0f, 0f], one));
    }
}
