using StaticGraph.Data;
using Xunit;

namespace StaticGraph.Tests.Data;

/// <summary>Checks the real dataset where Debian's dataset-fashion-mnist package is installed; skipped elsewhere.</summary>
public class RealFashionMnistTests
{
    [Fact]
    public void LoadsTheInstalledDatasetWithBalancedClassesAndTheDocumentedStatistics()
    {
        if (!Directory.Exists(FashionMnist.Spec.DefaultFolder))
            Assert.Skip($"{FashionMnist.Spec.DefaultFolder} is absent (apt-get install dataset-fashion-mnist)");

        var (train, test) = FashionMnist.Load(null);

        Assert.Equal(60000, train.Count);
        Assert.Equal(10000, test.Count);
        Assert.Equal((1, 28, 28, 10), (train.Channels, train.Height, train.Width, train.ClassCount));
        Assert.Equal(60000 * 28 * 28, train.Pixels.Length);
        Assert.All(CountPerClass(train), count => Assert.Equal(6000, count));
        Assert.All(CountPerClass(test), count => Assert.Equal(1000, count));

        // The hard-coded normalisation constants must describe this data.
        var (mean, std) = PixelStatistics(train.Pixels);
        Assert.Equal(FashionMnist.Spec.Mean, mean, 0.0005);
        Assert.Equal(FashionMnist.Spec.Std, std, 0.0005);
    }

    [Fact]
    public void FallsBackToTheInstalledDatasetWhenTheGivenFolderIsEmpty()
    {
        if (!Directory.Exists(FashionMnist.Spec.DefaultFolder))
            Assert.Skip($"{FashionMnist.Spec.DefaultFolder} is absent (apt-get install dataset-fashion-mnist)");
        using var empty = new TempFolder();

        var (_, test) = FashionMnist.Load(empty.Path);

        Assert.Equal(10000, test.Count);
    }

    private static int[] CountPerClass(ImageDataset dataset)
    {
        var counts = new int[dataset.ClassCount];
        foreach (int label in dataset.Labels)
            counts[label]++;
        return counts;
    }

    private static (double Mean, double Std) PixelStatistics(byte[] pixels)
    {
        var histogram = new long[256];
        foreach (byte p in pixels)
            histogram[p]++;
        double sum = 0, sumOfSquares = 0;
        for (int v = 0; v < 256; v++)
        {
            double x = v / 255.0;
            sum += histogram[v] * x;
            sumOfSquares += histogram[v] * x * x;
        }
        double mean = sum / pixels.Length;
        return (mean, Math.Sqrt(sumOfSquares / pixels.Length - mean * mean));
    }
}
