namespace StaticGraph.Data;

/// <summary>Finds the four IDX files of an MNIST-format dataset, raw or gzip-compressed.</summary>
internal sealed record MnistFamilyFiles(string TrainImages, string TrainLabels, string TestImages, string TestLabels)
{
    private static readonly string[] BaseNames =
    [
        "train-images-idx3-ubyte",
        "train-labels-idx1-ubyte",
        "t10k-images-idx3-ubyte",
        "t10k-labels-idx1-ubyte",
    ];

    /// <summary>The first folder (user-given, the user cache, then the default) that holds all four files.</summary>
    /// <exception cref="DatasetNotFoundException">No searched folder holds all four.</exception>
    public static MnistFamilyFiles Locate(MnistFamilySpec spec, string? dataDir)
    {
        var searched = new List<(string Folder, string Reason)>();
        foreach (string folder in FoldersToSearch(spec, dataDir))
        {
            if (!Directory.Exists(folder))
            {
                searched.Add((folder, "no such folder"));
                continue;
            }
            string?[] found = Array.ConvertAll(BaseNames, name => FindFile(folder, name));
            if (Array.TrueForAll(found, path => path is not null))
                return new MnistFamilyFiles(found[0]!, found[1]!, found[2]!, found[3]!);

            string missing = string.Join(", ", BaseNames.Where((_, i) => found[i] is null).Select(n => n + "[.gz]"));
            searched.Add((folder, $"missing {missing}"));
        }
        throw new DatasetNotFoundException(spec.Name, searched, HowToGetIt(spec), dataDirGiven: dataDir is not null);
    }

    private static IReadOnlyList<string> FoldersToSearch(MnistFamilySpec spec, string? dataDir) =>
        DatasetFolders.SearchOrder(dataDir, spec.CacheFolder, spec.DefaultFolder);

    // The uncompressed file wins when both exist: someone unpacked it on purpose, and it reads faster.
    private static string? FindFile(string folder, string baseName)
    {
        string raw = Path.Combine(folder, baseName);
        if (File.Exists(raw))
            return raw;
        string gzip = raw + ".gz";
        return File.Exists(gzip) ? gzip : null;
    }

    private static string HowToGetIt(MnistFamilySpec spec) =>
        spec.DebianPackage is { } package
            ? $"Install it with `apt-get install {package}` (Debian), download it with `sgtrain data fetch {spec.FetchName}`, or pass --data-dir with the four IDX files"
            : $"Download it with `sgtrain data fetch {spec.FetchName}` or pass --data-dir with the four IDX files (" + string.Join(", ", BaseNames) + ", each optionally .gz)";
}
