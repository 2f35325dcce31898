using StaticGraph.Data;
using Xunit;

namespace StaticGraph.Tests.Data;

public class CifarFileTests
{
    [Fact]
    public void ReadsCifar10LabelsAndPlanarRgbPixels()
    {
        using var folder = new TempFolder();
        string path = folder.Write("data_batch_1.bin", CifarBytes.Cifar10(salt: 4, 3, 0, 9));

        CifarRecords records = CifarFile.Read(path, CifarFormat.Cifar10);

        Assert.Equal([3, 0, 9], records.Labels);
        Assert.Equal(3 * 3072, records.Pixels.Length);
        for (int image = 0; image < 3; image++)
        {
            for (int channel = 0; channel < 3; channel++)
            {
                for (int row = 0; row < 32; row += 5)
                {
                    for (int column = 0; column < 32; column += 3)
                    {
                        Assert.Equal(
                            CifarBytes.Pixel(4, image, channel, row, column),
                            records.Pixels[((image * 3 + channel) * 32 + row) * 32 + column]);
                    }
                }
            }
        }
    }

    [Fact]
    public void TheFirst32PixelBytesOfARecordAreTheRedTopRow()
    {
        // Straight from the dataset page, independent of CifarBytes' loops.
        var record = new byte[3073];
        record[0] = 7;
        for (int i = 0; i < 32; i++)
            record[1 + i] = (byte)(100 + i); // red, row 0
        record[1 + 1024 + 32 * 31 + 31] = 201; // green, bottom-right
        record[1 + 2048 + 32] = 202; // blue, row 1 column 0
        using var folder = new TempFolder();
        string path = folder.Write("one.bin", record);

        CifarRecords records = CifarFile.Read(path, CifarFormat.Cifar10);

        Assert.Equal([7], records.Labels);
        Assert.Equal(Enumerable.Range(100, 32).Select(v => (byte)v), records.Pixels[..32]);
        Assert.Equal(201, records.Pixels[1024 + 1023]);
        Assert.Equal(202, records.Pixels[2048 + 32]);
    }

    [Fact]
    public void Cifar100ReadsTheFineOrTheCoarseLabel()
    {
        using var folder = new TempFolder();
        string path = folder.Write("train.bin", CifarBytes.Cifar100(1, (19, 99), (0, 0), (7, 42)));

        Assert.Equal([99, 0, 42], CifarFile.Read(path, CifarFormat.Cifar100Fine).Labels);
        Assert.Equal([19, 0, 7], CifarFile.Read(path, CifarFormat.Cifar100Coarse).Labels);
        Assert.Equal(CifarFile.Read(path, CifarFormat.Cifar100Fine).Pixels, CifarFile.Read(path, CifarFormat.Cifar100Coarse).Pixels);
    }

    [Fact]
    public void FormatsDescribeTheirRecords()
    {
        Assert.Equal(3073, CifarFormat.Cifar10.RecordBytes);
        Assert.Equal(3074, CifarFormat.Cifar100Fine.RecordBytes);
        Assert.Equal(10, CifarFormat.Cifar10.ClassCount);
        Assert.Equal(100, CifarFormat.Cifar100Fine.ClassCount);
        Assert.Equal(20, CifarFormat.Cifar100Coarse.ClassCount);
        Assert.Equal(1, CifarFormat.Cifar100Fine.LabelIndex);
        Assert.Equal(0, CifarFormat.Cifar100Coarse.LabelIndex);
    }

    [Fact]
    public void SeveralFilesAreConcatenatedInOrder()
    {
        using var folder = new TempFolder();
        string a = folder.Write("a.bin", CifarBytes.Cifar10(1, 1, 2));
        string b = folder.Write("b.bin", CifarBytes.Cifar10(2, 5));

        CifarRecords records = CifarFile.Read([a, b], CifarFormat.Cifar10);

        Assert.Equal([1, 2, 5], records.Labels);
        Assert.Equal(CifarBytes.Pixel(2, 0, 0, 0, 0), records.Pixels[2 * 3072]);
        Assert.Equal(CifarBytes.Pixel(1, 1, 2, 31, 31), records.Pixels[2 * 3072 - 1]);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(100)]
    [InlineData(3072)]
    public void APartialRecordIsRefusedWithTheOffsetWhereItStarts(int extra)
    {
        using var folder = new TempFolder();
        byte[] whole = CifarBytes.Cifar10(1, 1, 2);
        string path = folder.Write("data_batch_1.bin", [.. whole, .. new byte[extra]]);

        var error = Assert.Throws<DataFormatException>(() => CifarFile.Read(path, CifarFormat.Cifar10));

        Assert.Equal(path, error.FilePath);
        Assert.Equal(2 * 3073, error.ByteOffset);
        Assert.StartsWith($"{path}: at byte {2 * 3073}: ", error.Message);
        Assert.Contains($"only {extra} bytes", error.Message);
    }

    [Fact]
    public void EveryTruncationIsRefusedUnlessItEndsOnARecordBoundary()
    {
        using var folder = new TempFolder();
        byte[] whole = CifarBytes.Cifar10(1, 1, 2);
        for (int length = 0; length < whole.Length; length += length < 40 ? 1 : 97)
        {
            string path = folder.Write($"cut{length}", whole[..length]);
            if (length == 3073)
            {
                Assert.Equal([1], CifarFile.Read(path, CifarFormat.Cifar10).Labels);
                continue;
            }
            var error = Assert.Throws<DataFormatException>(() => CifarFile.Read(path, CifarFormat.Cifar10));
            Assert.Equal(path, error.FilePath);
            Assert.Equal(length / 3073 * 3073, error.ByteOffset);
        }
    }

    [Fact]
    public void AnEmptyFileIsRefused()
    {
        using var folder = new TempFolder();
        string path = folder.Write("test_batch.bin", []);

        var error = Assert.Throws<DataFormatException>(() => CifarFile.Read(path, CifarFormat.Cifar10));

        Assert.Equal(0, error.ByteOffset);
        Assert.Contains("empty", error.Message);
    }

    [Fact]
    public void ACifar100FileReadAsCifar10SaysSo()
    {
        using var folder = new TempFolder();
        string path = folder.Write("test_batch.bin", CifarBytes.Cifar100(1, (1, 1), (2, 2), (3, 3)));

        var error = Assert.Throws<DataFormatException>(() => CifarFile.Read(path, CifarFormat.Cifar10));

        Assert.Contains("CIFAR-100", error.Message);
    }

    [Fact]
    public void ACifar10LabelOutsideTheClassesIsRefusedAtItsByte()
    {
        using var folder = new TempFolder();
        string path = folder.Write("data_batch_3.bin", CifarBytes.Cifar10(1, 9, 10, 2));

        var error = Assert.Throws<DataFormatException>(() => CifarFile.Read(path, CifarFormat.Cifar10));

        Assert.Equal(3073, error.ByteOffset);
        Assert.Contains("label 10 of record 1 is outside 0..9", error.Message);
    }

    [Theory]
    [InlineData(20, 5, false, 2 * 3074, "coarse label 20")]
    [InlineData(20, 5, true, 2 * 3074, "coarse label 20")]
    [InlineData(3, 100, false, 2 * 3074 + 1, "fine label 100")]
    [InlineData(3, 255, true, 2 * 3074 + 1, "fine label 255")] // checked even when only coarse labels are used
    public void ACifar100LabelOutsideItsRangeIsRefusedAtItsByte(byte coarse, byte fine, bool useCoarse, long offset, string named)
    {
        using var folder = new TempFolder();
        string path = folder.Write("train.bin", CifarBytes.Cifar100(1, (0, 0), (19, 99), (coarse, fine)));

        var error = Assert.Throws<DataFormatException>(
            () => CifarFile.Read(path, useCoarse ? CifarFormat.Cifar100Coarse : CifarFormat.Cifar100Fine));

        Assert.Equal(offset, error.ByteOffset);
        Assert.Contains(named, error.Message);
    }
}
