namespace StaticGraph.Data;

/// <summary>
/// The data sets `sgtrain data fetch` knows, at their publishers' own addresses, with what each payload must be.
/// Payload SHA-256s are recorded for every IDX file but Kuzushiji-MNIST's training images, each read from copies checked
/// against the published MD5s or, where none could be, from independent copies that agree (docs/data.md says which and
/// how); where none is recorded (that file and the CIFAR batches) the publisher's MD5 of the download vouches for the
/// payload. The exact payload length is always checked.
/// </summary>
public static class DatasetSources
{
    private const long MnistTrainImages = 16 + 60000L * 28 * 28, MnistTrainLabels = 8 + 60000, MnistTestImages = 16 + 10000L * 28 * 28, MnistTestLabels = 8 + 10000;

    /// <summary>MNIST (the MNIST page publishes no checksums; the MD5s are those the files are widely checked against, e.g. by torchvision).</summary>
    public static DatasetSource Mnist { get; } = new("mnist", "MNIST", new Uri("http://yann.lecun.com/exdb/mnist/"),
    [
        Idx("train-images-idx3-ubyte", MnistTrainImages, "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db", "f68b3c2dcbeaaa9fbdd348bbdeb94873"),
        Idx("train-labels-idx1-ubyte", MnistTrainLabels, "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5", "d53e105ee54ea40749a09fcbcd1e9432"),
        Idx("t10k-images-idx3-ubyte", MnistTestImages, "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7", "9fb629c4189551a2d022fa330f9573f3"),
        Idx("t10k-labels-idx1-ubyte", MnistTestLabels, "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2", "ec29112dd5afa0611ce80d1b7f02629c"),
    ]);

    /// <summary>Kuzushiji-MNIST, from the address its README (rois-codh/kmnist) links (MD5s as torchvision checks them).</summary>
    public static DatasetSource KuzushijiMnist { get; } = new("kmnist", "Kuzushiji-MNIST", new Uri("https://storage.googleapis.com/kuzushiji-mnist/"),
    [
        Idx("train-images-idx3-ubyte", MnistTrainImages, null, "bdb82020997e1d708af4cf47b453dcf7"),
        Idx("train-labels-idx1-ubyte", MnistTrainLabels, "2a16eeae62da984b8bd24fa32e31d47291f01dac3fe84d5594f304f71e7d374b", "e144d726b3acfaa3e44228e80efcd344"),
        Idx("t10k-images-idx3-ubyte", MnistTestImages, "76fbd229ce87db80dd281af5e6670de4ad0e42fb30a7bd643972994c47c1f42e", "5c965bf0a639b31b8f53240b1b52f4d7"),
        Idx("t10k-labels-idx1-ubyte", MnistTestLabels, "a11dc742be8e781a40a92f53d6a4957e7b7d36df2faa097659131ebfd8fd60c6", "7320c461ea6c1c855c0b718fb2a4b134"),
    ]);

    /// <summary>Fashion-MNIST, with the MD5s of its README and the payloads' SHA-256s.</summary>
    public static DatasetSource FashionMnist { get; } = new("fashion-mnist", "Fashion-MNIST", new Uri("http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/"),
    [
        Idx("train-images-idx3-ubyte", MnistTrainImages, "c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888", "8d4fb7e6c68d591d4c3dfef9ec88bf0d"),
        Idx("train-labels-idx1-ubyte", MnistTrainLabels, "bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9", "25c81989df183df01b3e8a0aad5dffbe"),
        Idx("t10k-images-idx3-ubyte", MnistTestImages, "5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b", "bef4ecab320f06d8554ea6380940ec79"),
        Idx("t10k-labels-idx1-ubyte", MnistTestLabels, "0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34", "bb300cfdad3c16e7a12a480ee83cd310"),
    ]);

    /// <summary>CIFAR-10's binary version, with the MD5 its page publishes; the six batches are extracted.</summary>
    public static DatasetSource Cifar10Binary { get; } = new(Cifar10.FetchName, "CIFAR-10", new Uri("https://www.cs.toronto.edu/~kriz/"),
    [
        new DownloadFile("cifar-10-binary.tar.gz", DownloadKind.TarGz,
            [.. Cifar10.TrainFiles.Append(Cifar10.TestFile).Select(name => new PayloadFile(name, 10000L * CifarFormat.Cifar10.RecordBytes, null))],
            Md5: "c32a1d4ab5d03f1284b67883e8d87530"),
    ]);

    /// <summary>CIFAR-100's binary version, with the MD5 its page publishes; train.bin and test.bin are extracted.</summary>
    public static DatasetSource Cifar100Binary { get; } = new(Cifar100.FetchName, "CIFAR-100", new Uri("https://www.cs.toronto.edu/~kriz/"),
    [
        new DownloadFile("cifar-100-binary.tar.gz", DownloadKind.TarGz,
            [
                new PayloadFile(Cifar100.TrainFile, 50000L * CifarFormat.Cifar100Fine.RecordBytes, null),
                new PayloadFile(Cifar100.TestFile, 10000L * CifarFormat.Cifar100Fine.RecordBytes, null),
            ],
            Md5: "03b5dce01913d631647c71ecec9e9cb8"),
    ]);

    /// <summary>Every source, by fetch name.</summary>
    public static IReadOnlyList<DatasetSource> All { get; } = [Mnist, KuzushijiMnist, FashionMnist, Cifar10Binary, Cifar100Binary];

    /// <summary>The source called <paramref name="name"/>; an unknown name lists the known ones.</summary>
    public static DatasetSource Get(string name) =>
        All.FirstOrDefault(s => s.Name == name)
            ?? throw new ArgumentException($"unknown data set '{name}'; known: {string.Join(", ", All.Select(s => s.Name))}");

    private static DownloadFile Idx(string name, long length, string? sha256, string? md5) =>
        new(name + ".gz", DownloadKind.Gzip, [new PayloadFile(name, length, sha256)], md5);
}
