using StaticGraph.Data;
using Xunit;

namespace StaticGraph.Tests.Data;

public class IdxFileTests
{
    private static readonly int[] SmallShape = [3, 4, 5];

    private static (string Path, byte[] Data) WriteSmall(TempFolder folder, bool gzip)
    {
        byte[] data = IdxBytes.Pattern(3 * 4 * 5);
        byte[] raw = IdxBytes.Build(SmallShape, data);
        return (folder.Write(gzip ? "small.gz" : "small", gzip ? IdxBytes.Gzip(raw) : raw), data);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void RoundTripsDimensionsAndValues(bool gzip)
    {
        using var folder = new TempFolder();
        var (path, data) = WriteSmall(folder, gzip);

        IdxArray array = IdxFile.Read(path);

        Assert.Equal(SmallShape, array.Dimensions);
        Assert.Equal(data, array.Data);
        Assert.Equal(gzip, array.WasCompressed);
        Assert.Equal(16, array.DataOffset);
        Assert.Equal("3x4x5", array.ShapeText);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void RoundTripsEveryRank(bool gzip)
    {
        using var folder = new TempFolder();
        int[][] shapes = [[7], [2, 9], [2, 3, 4], [2, 1, 3, 2]];
        foreach (int[] shape in shapes)
        {
            byte[] data = IdxBytes.Pattern(shape.Aggregate(1, (a, b) => a * b), salt: shape.Length);
            byte[] raw = IdxBytes.Build(shape, data);
            string path = folder.Write($"rank{shape.Length}", gzip ? IdxBytes.Gzip(raw) : raw);

            IdxArray array = IdxFile.Read(path);

            Assert.Equal(shape, array.Dimensions);
            Assert.Equal(data, array.Data);
        }
    }

    [Fact]
    public void LargerGzipFileGrowsItsBufferToTheExactSize()
    {
        // Barely compressible data larger than the first gzip buffer forces several regrowths.
        using var folder = new TempFolder();
        var random = new System.Random(7);
        byte[] data = new byte[300 * 28 * 28];
        random.NextBytes(data);
        string path = folder.Write("big.gz", IdxBytes.Gzip(IdxBytes.Build([300, 28, 28], data)));

        IdxArray array = IdxFile.Read(path);

        Assert.Equal(data, array.Data);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void EveryTruncationIsRefusedWithTheFileName(bool gzip)
    {
        using var folder = new TempFolder();
        var (path, _) = WriteSmall(folder, gzip);
        byte[] whole = File.ReadAllBytes(path);

        for (int length = 0; length < whole.Length; length++)
        {
            string truncated = folder.Write($"cut{length}", whole[..length]);
            var error = Assert.Throws<DataFormatException>(() => IdxFile.Read(truncated));
            Assert.Equal(truncated, error.FilePath);
            Assert.StartsWith(truncated + ": at ", error.Message);
        }
    }

    [Fact]
    public void RawTruncationNamesTheOffsetWhereDataRanOut()
    {
        using var folder = new TempFolder();
        byte[] raw = IdxBytes.Build(SmallShape, IdxBytes.Pattern(60));
        string path = folder.Write("cut", raw[..50]);

        var error = Assert.Throws<DataFormatException>(() => IdxFile.Read(path));

        Assert.Equal(50, error.ByteOffset);
        Assert.Contains("ran out", error.Message);
        Assert.Contains($"{path}: at byte 50:", error.Message);
    }

    [Fact]
    public void GzipTruncationNamesTheDecompressedOffset()
    {
        using var folder = new TempFolder();
        byte[] raw = IdxBytes.Build(SmallShape, IdxBytes.Pattern(60));
        string path = folder.Write("cut.gz", IdxBytes.Gzip(raw[..50]));

        var error = Assert.Throws<DataFormatException>(() => IdxFile.Read(path));

        Assert.Equal(50, error.ByteOffset);
        Assert.True(error.OffsetIsInDecompressedStream);
        Assert.Contains($"{path}: at decompressed byte 50:", error.Message);
    }

    [Theory]
    [InlineData(0, 0x01, 0)]
    [InlineData(1, 0x08, 1)]
    public void WrongMagicIsRefused(int index, byte value, long expectedOffset)
    {
        using var folder = new TempFolder();
        byte[] raw = IdxBytes.Build([2], [1, 2]);
        raw[index] = value;
        string path = folder.Write("magic", raw);

        var error = Assert.Throws<DataFormatException>(() => IdxFile.Read(path));

        Assert.Equal(expectedOffset, error.ByteOffset);
        Assert.Contains("magic", error.Message);
    }

    [Theory]
    [InlineData(0x0D, "float32")]
    [InlineData(0x09, "signed byte")]
    [InlineData(0x42, "unknown element type 0x42")]
    public void OtherElementTypesAreRefusedByName(byte type, string named)
    {
        using var folder = new TempFolder();
        string path = folder.Write("typed", IdxBytes.Build([2], [1, 2], type));

        var error = Assert.Throws<DataFormatException>(() => IdxFile.Read(path));

        Assert.Equal(2, error.ByteOffset);
        Assert.Contains(named, error.Message);
        Assert.Contains("0x08 (unsigned byte)", error.Message);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(5)]
    [InlineData(255)]
    public void DimensionCountOutsideOneToFourIsRefused(byte count)
    {
        using var folder = new TempFolder();
        byte[] raw = new byte[64];
        raw[2] = 0x08;
        raw[3] = count;
        string path = folder.Write("rank", raw);

        var error = Assert.Throws<DataFormatException>(() => IdxFile.Read(path));

        Assert.Equal(3, error.ByteOffset);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(int.MinValue)]
    public void NonPositiveDimensionIsRefused(int size)
    {
        using var folder = new TempFolder();
        string path = folder.Write("dims", IdxBytes.Build([2, size], [1, 2]));

        var error = Assert.Throws<DataFormatException>(() => IdxFile.Read(path));

        Assert.Equal(8, error.ByteOffset);
        Assert.Contains("must be positive", error.Message);
    }

    public static TheoryData<int[], bool> AbsurdHeaders => new()
    {
        { [int.MaxValue], false },
        { [int.MaxValue], true },
        { [1 << 28, 28, 28], false },
        { [1 << 28, 28, 28], true },
        { [int.MaxValue, int.MaxValue, int.MaxValue, int.MaxValue], true },
        { [1 << 30], false }, // fits in an array, but the file holds no data
        { [1 << 30], true },
        { [1 << 21, 28, 28], true },
    };

    [Theory]
    [MemberData(nameof(AbsurdHeaders))]
    public void HugeDeclaredSizeInATinyFileIsRefusedWithoutAllocating(int[] dimensions, bool gzip)
    {
        using var folder = new TempFolder();
        byte[] raw = IdxBytes.Build(dimensions, IdxBytes.Pattern(1000));
        string path = folder.Write("absurd", gzip ? IdxBytes.Gzip(raw) : raw);

        long before = GC.GetAllocatedBytesForCurrentThread();
        Assert.Throws<DataFormatException>(() => IdxFile.Read(path));
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.True(allocated < 10 << 20, $"allocated {allocated} bytes");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void TrailingBytesAreRefused(bool gzip)
    {
        using var folder = new TempFolder();
        byte[] raw = [.. IdxBytes.Build(SmallShape, IdxBytes.Pattern(60)), 0xEE, 0xEE, 0xEE];
        string path = folder.Write("trailing", gzip ? IdxBytes.Gzip(raw) : raw);

        var error = Assert.Throws<DataFormatException>(() => IdxFile.Read(path));

        Assert.Equal(16 + 60, error.ByteOffset);
        Assert.Contains("trailing", error.Message);
    }

    [Fact]
    public void BytesAfterTheGzipStreamAreRefused()
    {
        // GZipStream itself ignores what follows the compressed data; the trailer check must not.
        using var folder = new TempFolder();
        byte[] gzip = IdxBytes.Gzip(IdxBytes.Build(SmallShape, IdxBytes.Pattern(60)));
        string path = folder.Write("after.gz", [.. gzip, 1, 2, 3]);

        var error = Assert.Throws<DataFormatException>(() => IdxFile.Read(path));

        Assert.Contains("trailer", error.Message);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void EverySingleByteCorruptionEitherReadsOrThrowsDataFormatException(bool gzip)
    {
        using var folder = new TempFolder();
        var (path, _) = WriteSmall(folder, gzip);
        byte[] whole = File.ReadAllBytes(path);

        for (int i = 0; i < whole.Length; i++)
        {
            foreach (byte mask in (byte[])[0x01, 0x80, 0xFF])
            {
                byte[] damaged = (byte[])whole.Clone();
                damaged[i] ^= mask;
                string damagedPath = folder.Write("damaged", damaged);
                try
                {
                    IdxFile.Read(damagedPath);
                }
                catch (DataFormatException error)
                {
                    Assert.Equal(damagedPath, error.FilePath);
                }
            }
        }
    }

    [Fact]
    public void RandomGarbageEitherReadsOrThrowsDataFormatException()
    {
        using var folder = new TempFolder();
        var random = new System.Random(1234);
        for (int trial = 0; trial < 300; trial++)
        {
            byte[] bytes = new byte[random.Next(0, 48)];
            random.NextBytes(bytes);
            if (bytes.Length >= 4 && trial % 2 == 0)
            {
                // Half the trials get a plausible magic, so the dimension and data checks are reached.
                bytes[0] = bytes[1] = 0;
                bytes[2] = 0x08;
                bytes[3] = (byte)(1 + trial % 4);
            }
            string path = folder.Write("garbage", trial % 3 == 0 ? IdxBytes.Gzip(bytes) : bytes);
            try
            {
                IdxFile.Read(path);
            }
            catch (DataFormatException)
            {
            }
        }
    }
}
