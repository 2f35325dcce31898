using System.Globalization;

namespace StaticGraph.Train.Training;

/// <summary>metrics.csv: written whole after every epoch (temporary file, then rename), read back on resume.</summary>
public static class MetricsFile
{
    /// <summary>Writes the header and one row per epoch.</summary>
    public static void Write(string path, IReadOnlyList<EpochMetrics> history)
    {
        var temp = path + ".tmp";
        File.WriteAllLines(temp, [EpochMetrics.CsvHeader, .. history.Select(m => m.ToCsv())]);
        File.Move(temp, path, overwrite: true);
    }

    /// <summary>The rows of an existing metrics.csv (none when it does not exist).</summary>
    public static IReadOnlyList<EpochMetrics> Read(string path)
    {
        if (!File.Exists(path)) return [];
        var rows = new List<EpochMetrics>();
        var lines = File.ReadAllLines(path);
        for (var i = 1; i < lines.Length; i++)
        {
            var f = lines[i].Split(',');
            if (f.Length != 7) throw new IOException($"{path}: line {i + 1} has {f.Length} fields, expected 7");
            double D(int k) => double.Parse(f[k], CultureInfo.InvariantCulture);
            rows.Add(new EpochMetrics(int.Parse(f[0], CultureInfo.InvariantCulture), D(1), D(2), D(3), D(4), D(5), D(6)));
        }
        return rows;
    }
}
