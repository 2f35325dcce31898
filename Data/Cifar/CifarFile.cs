namespace StaticGraph.Data;

/// <summary>
/// Reads the binary versions of CIFAR-10 and CIFAR-100: headerless files of fixed-size records
/// (label bytes, then 3072 pixel bytes). A file whose size is not a whole number of records, an empty
/// file or a label outside its range is refused with a <see cref="DataFormatException"/>; sizes are
/// checked before anything is allocated, and nothing larger than the files is.
/// </summary>
public static class CifarFile
{
    // Records copied per read call: large enough to keep reads efficient, small enough (~768 KB)
    // that the bounce buffer is negligible next to the dataset.
    private const int RecordsPerChunk = 256;

    /// <summary>Reads every record of the file at <paramref name="path"/>.</summary>
    /// <exception cref="DataFormatException">The file is empty, cut inside a record, or holds an out-of-range label.</exception>
    public static CifarRecords Read(string path, CifarFormat format) => Read([path], format);

    /// <summary>Reads every record of the files at <paramref name="paths"/>, concatenated in the order given.</summary>
    /// <exception cref="DataFormatException">A file is empty, cut inside a record, or holds an out-of-range label.</exception>
    public static CifarRecords Read(IReadOnlyList<string> paths, CifarFormat format)
    {
        ArgumentNullException.ThrowIfNull(paths);
        ArgumentNullException.ThrowIfNull(format);
        var files = new FileStream[paths.Count];
        try
        {
            // Every size is checked before the first allocation, so a bad file costs nothing to refuse.
            long totalRecords = 0;
            var recordCounts = new int[paths.Count];
            for (int i = 0; i < paths.Count; i++)
            {
                files[i] = new FileStream(paths[i], FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1);
                recordCounts[i] = CountRecords(paths[i], files[i].Length, format, totalRecords);
                totalRecords += recordCounts[i];
            }

            var labels = new int[totalRecords];
            var pixels = new byte[totalRecords * CifarFormat.ImageBytes];
            int largest = recordCounts.Length == 0 ? 0 : recordCounts.Max();
            var buffer = new byte[Math.Min(largest, RecordsPerChunk) * format.RecordBytes];
            int first = 0;
            for (int i = 0; i < paths.Count; i++)
            {
                // totalRecords x ImageBytes fits an array, so these offsets fit an int.
                ReadRecords(paths[i], files[i], recordCounts[i], format, buffer,
                    labels.AsSpan(first), pixels.AsSpan(first * CifarFormat.ImageBytes));
                first += recordCounts[i];
            }
            return new CifarRecords(labels, pixels);
        }
        finally
        {
            foreach (FileStream? file in files)
                file?.Dispose();
        }
    }

    private static int CountRecords(string path, long length, CifarFormat format, long recordsBefore)
    {
        int recordBytes = format.RecordBytes;
        if (length == 0)
            throw new DataFormatException(path, 0, $"the file is empty; expected {format.Name} records of {recordBytes} bytes each");
        long whole = length / recordBytes;
        long partial = length % recordBytes;
        if (partial != 0)
        {
            throw new DataFormatException(path, whole * recordBytes,
                $"the file is {length} bytes, not a whole number of {recordBytes}-byte {format.Name} records: "
                + $"the record starting here holds only {partial} bytes{OtherLayoutHint(length, format)}");
        }
        // The whole dataset must fit one pixel array; say where the first image that does not fit starts.
        long fitting = Array.MaxLength / CifarFormat.ImageBytes - recordsBefore;
        if (whole > fitting)
        {
            throw new DataFormatException(path, Math.Max(0, fitting) * recordBytes,
                $"holds {whole} records; with the files before it that is more images than one array can hold");
        }
        return (int)whole;
    }

    // A CIFAR-100 file read as CIFAR-10 (or the reverse) is a likely mistake worth naming.
    private static string OtherLayoutHint(long length, CifarFormat format)
    {
        int other = format.LabelBytes == 1 ? CifarFormat.Cifar100Fine.RecordBytes : CifarFormat.Cifar10.RecordBytes;
        string otherName = format.LabelBytes == 1 ? "CIFAR-100" : "CIFAR-10";
        return length % other == 0 ? $" (its size fits {otherName} records of {other} bytes: is it a {otherName} file?)" : "";
    }

    private static void ReadRecords(
        string path, FileStream file, int recordCount, CifarFormat format, byte[] buffer, Span<int> labels, Span<byte> pixels)
    {
        int recordBytes = format.RecordBytes;
        int labelBytes = format.LabelBytes;
        int done = 0;
        while (done < recordCount)
        {
            int records = Math.Min(RecordsPerChunk, recordCount - done);
            int wanted = records * recordBytes;
            long chunkStart = (long)done * recordBytes;
            int got = file.ReadAtLeast(buffer.AsSpan(0, wanted), wanted, throwOnEndOfStream: false);
            if (got < wanted)
            {
                throw new DataFormatException(path, chunkStart + got,
                    $"the file ended while being read; it held {(long)recordCount * recordBytes} bytes when opened");
            }

            for (int r = 0; r < records; r++)
            {
                ReadOnlySpan<byte> record = buffer.AsSpan(r * recordBytes, recordBytes);
                int index = done + r;
                for (int b = 0; b < labelBytes; b++)
                {
                    if (record[b] >= format.LabelRange(b))
                    {
                        throw new DataFormatException(path, chunkStart + (long)r * recordBytes + b,
                            $"{format.LabelName(b)} {record[b]} of record {index} is outside 0..{format.LabelRange(b) - 1}");
                    }
                }
                labels[index] = record[format.LabelIndex];
                record[labelBytes..].CopyTo(pixels.Slice(index * CifarFormat.ImageBytes, CifarFormat.ImageBytes));
            }
            done += records;
        }
    }
}
