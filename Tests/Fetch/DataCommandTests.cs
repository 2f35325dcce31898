using StaticGraph.Data;
using StaticGraph.Tests.Train;
using Xunit;

namespace StaticGraph.Tests.Fetch;

/// <summary>
/// `sgtrain data fetch` end to end: the real Fashion-MNIST checksums against Debian's recompressed copy served
/// by a loopback mirror, and the one-line refusals.
/// </summary>
public sealed class DataCommandTests : IDisposable
{
    private const string Debian = "/usr/share/datasets/fashion-mnist";
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "sg-data-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_dir)) Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public void Debians_recompressed_fashion_mnist_verifies_through_a_mirror_and_loads()
    {
        if (!File.Exists(Path.Combine(Debian, "train-images-idx3-ubyte.gz")))
            Assert.Skip("Fashion-MNIST is not installed (apt-get install dataset-fashion-mnist)");
        using var server = new LoopbackServer();
        foreach (var file in DatasetSources.FashionMnist.Files)
            server.Serve("fashion/" + file.FileName, File.ReadAllBytes(Path.Combine(Debian, file.FileName)));

        var (exit, output, error) = Cli.Run("data", "fetch", "fashion-mnist", "--dir", _dir, "--mirror", new Uri(server.BaseUrl, "fashion/").ToString());

        Assert.True(exit == 0, error);
        Assert.Contains("verified", output);
        var spec = FashionMnist.Spec with { CacheFolder = null, DefaultFolder = _dir };
        var (train, test) = MnistFamily.Load(spec, _dir);
        Assert.Equal((60000, 10000), (train.Count, test.Count));
        Assert.Empty(Directory.GetFiles(_dir, "*.partial"));
    }

    [Fact]
    public void A_mirror_without_the_files_is_one_line_naming_the_file_and_the_answer()
    {
        using var server = new LoopbackServer();

        var (exit, _, error) = Cli.Run("data", "fetch", "mnist", "--dir", _dir, "--mirror", server.BaseUrl.ToString());

        Assert.Equal(2, exit);
        // The suggestion of a mirror is for the publisher's address only.
        Assert.Equal($"error: train-images-idx3-ubyte.gz: {server.BaseUrl}train-images-idx3-ubyte.gz answered 404 Not Found", error.Trim());
        Assert.False(Directory.Exists(_dir));
    }

    [Fact]
    public void Unknown_data_set_and_bad_mirror_are_one_line_each()
    {
        var (exit, _, error) = Cli.Run("data", "fetch", "imagenet", "--dir", _dir);
        Assert.Equal(2, exit);
        Assert.Equal("error: unknown data set 'imagenet'; known: mnist, kmnist, fashion-mnist, cifar10, cifar100", error.Trim());

        (exit, _, error) = Cli.Run("data", "fetch", "mnist", "--dir", _dir, "--mirror", "ftp://example/");
        Assert.Equal(2, exit);
        Assert.Equal("error: --mirror must be an absolute http or https URL, got 'ftp://example/'", error.Trim());
        Assert.False(Directory.Exists(_dir));
    }
}
