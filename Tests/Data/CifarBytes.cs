namespace StaticGraph.Tests.Data;

/// <summary>
/// Writes CIFAR binary files exactly as the dataset's page describes them: per record the label byte(s)
/// (CIFAR-100: coarse, then fine), then 1024 red, 1024 green and 1024 blue bytes, each channel row-major
/// (so the first 32 pixel bytes are the red values of the top row).
/// </summary>
internal static class CifarBytes
{
    public const int Side = 32;
    public const int PixelBytes = 3 * Side * Side;

    /// <summary>A recognisable pixel value for image <paramref name="image"/> (with a per-file salt) at channel, row, column.</summary>
    public static byte Pixel(int salt, int image, int channel, int row, int column) =>
        (byte)(salt * 53 + image * 29 + channel * 97 + row * 7 + column * 3 + (row * column >> 4));

    /// <summary>One file of records; <paramref name="labels"/> holds each record's label bytes, in file order.</summary>
    public static byte[] File(byte[][] labels, int salt)
    {
        var bytes = new List<byte>();
        for (int image = 0; image < labels.Length; image++)
        {
            bytes.AddRange(labels[image]);
            foreach (int channel in (int[])[0, 1, 2]) // red, green, blue
            {
                for (int row = 0; row < Side; row++)
                {
                    for (int column = 0; column < Side; column++)
                        bytes.Add(Pixel(salt, image, channel, row, column));
                }
            }
        }
        return bytes.ToArray();
    }

    /// <summary>A CIFAR-10 file whose labels are <paramref name="labels"/>.</summary>
    public static byte[] Cifar10(int salt, params byte[] labels) => File(labels.Select(l => new[] { l }).ToArray(), salt);

    /// <summary>A CIFAR-100 file whose (coarse, fine) labels are given.</summary>
    public static byte[] Cifar100(int salt, params (byte Coarse, byte Fine)[] labels) =>
        File(labels.Select(l => new[] { l.Coarse, l.Fine }).ToArray(), salt);

    /// <summary>Labels 0, 1, 2, ... wrapping at <paramref name="classes"/>, offset by <paramref name="start"/>.</summary>
    public static byte[] Labels(int count, int start, int classes) =>
        Enumerable.Range(0, count).Select(i => (byte)((start + i) % classes)).ToArray();
}
