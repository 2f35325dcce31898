namespace StaticGraph.Data;

/// <summary>
/// Finds the folder holding a binary CIFAR dataset: the user-given folder, the user cache, then the default
/// one, each either holding the files directly or holding the folder the official tarball unpacks to.
/// </summary>
internal static class CifarFolder
{
    /// <summary>The first searched folder that holds every one of <paramref name="fileNames"/>.</summary>
    /// <exception cref="DatasetNotFoundException">No searched folder holds them all; the message lists what each lacks.</exception>
    public static string Locate(
        string datasetName, string? dataDir, string? cacheFolder, string defaultFolder, string tarballFolder, IReadOnlyList<string> fileNames, string howToGetIt)
    {
        var searched = new List<(string Folder, string Reason)>();
        foreach (string root in DatasetFolders.SearchOrder(dataDir, cacheFolder, defaultFolder))
        {
            if (!Directory.Exists(root))
            {
                searched.Add((root, "no such folder"));
                continue;
            }
            foreach (string folder in (string[])[root, Path.Combine(root, tarballFolder)])
            {
                if (!Directory.Exists(folder))
                {
                    searched.Add((folder, "no such folder"));
                    continue;
                }
                string[] missing = fileNames.Where(name => !File.Exists(Path.Combine(folder, name))).ToArray();
                if (missing.Length == 0)
                    return folder;
                searched.Add((folder, "missing " + string.Join(", ", missing)));
            }
        }
        throw new DatasetNotFoundException(datasetName, searched, howToGetIt, dataDirGiven: dataDir is not null);
    }

    /// <summary>The advice appended to a not-found message.</summary>
    public static string HowToGetIt(string fetchName, string tarball, string tarballFolder, IReadOnlyList<string> fileNames) =>
        $"Download it with `sgtrain data fetch {fetchName}`, or download the binary version ({tarball} from https://www.cs.toronto.edu/~kriz/cifar.html), unpack it "
        + $"(tar xzf {tarball}) and pass --data-dir with the unpacked {tarballFolder} folder or the folder holding it; "
        + $"it must contain {string.Join(", ", fileNames)}.";

    /// <summary>Builds one split from its files.</summary>
    public static ImageDataset LoadSplit(
        string name, string folder, IReadOnlyList<string> fileNames, CifarFormat format, float[] mean, float[] std)
    {
        CifarRecords records = CifarFile.Read(fileNames.Select(n => Path.Combine(folder, n)).ToArray(), format);
        return new ImageDataset(
            name, records.Pixels, records.Labels, CifarFormat.Channels, CifarFormat.ImageSide, CifarFormat.ImageSide,
            format.ClassCount, mean, std);
    }
}
