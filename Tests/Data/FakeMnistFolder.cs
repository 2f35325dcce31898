namespace StaticGraph.Tests.Data;

/// <summary>Writes a tiny MNIST-format dataset (the four IDX files) into a temp folder.</summary>
internal static class FakeMnistFolder
{
    public const int TrainCount = 5;
    public const int TestCount = 3;
    private const int Side = 28;

    public static byte[] ImagePixels(int count, int salt) => IdxBytes.Pattern(count * Side * Side, salt);

    public static byte[] LabelValues(int count, int salt) =>
        Enumerable.Range(0, count).Select(i => (byte)((i + salt) % 10)).ToArray();

    public static byte[] ImageFile(int count, int salt) => IdxBytes.Build([count, Side, Side], ImagePixels(count, salt));

    public static byte[] LabelFile(int count, int salt) => IdxBytes.Build([count], LabelValues(count, salt));

    /// <summary>Writes all four files; <paramref name="gzip"/> compresses them and adds ".gz" to their names.</summary>
    public static void Write(TempFolder folder, bool gzip)
    {
        Write(folder, "train-images-idx3-ubyte", ImageFile(TrainCount, 1), gzip);
        Write(folder, "train-labels-idx1-ubyte", LabelFile(TrainCount, 1), gzip);
        Write(folder, "t10k-images-idx3-ubyte", ImageFile(TestCount, 2), gzip);
        Write(folder, "t10k-labels-idx1-ubyte", LabelFile(TestCount, 2), gzip);
    }

    public static string Write(TempFolder folder, string baseName, byte[] raw, bool gzip) =>
        gzip ? folder.Write(baseName + ".gz", IdxBytes.Gzip(raw)) : folder.Write(baseName, raw);
}
