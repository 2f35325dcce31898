namespace StaticGraph.Data;

/// <summary>Thrown when none of the searched folders holds a complete copy of a dataset.</summary>
public sealed class DatasetNotFoundException : Exception
{
    /// <summary>Creates the exception; the message lists each folder with why it did not qualify.</summary>
    /// <param name="datasetName">The dataset looked for, e.g. "Fashion-MNIST".</param>
    /// <param name="searched">Each folder searched, paired with why it was not used.</param>
    /// <param name="howToGetIt">What the user can do about it, appended to the message.</param>
    /// <param name="dataDirGiven">False when no --data-dir was given: the message says so, naming all three places looked at.</param>
    public DatasetNotFoundException(string datasetName, IReadOnlyList<(string Folder, string Reason)> searched, string howToGetIt, bool dataDirGiven = true)
        : base(FormatMessage(datasetName, searched, howToGetIt, dataDirGiven))
    {
        DatasetName = datasetName;
        SearchedFolders = searched.Select(s => s.Folder).ToArray();
    }

    /// <summary>The dataset looked for.</summary>
    public string DatasetName { get; }

    /// <summary>The folders searched, in search order.</summary>
    public IReadOnlyList<string> SearchedFolders { get; }

    private static string FormatMessage(string datasetName, IReadOnlyList<(string Folder, string Reason)> searched, string howToGetIt, bool dataDirGiven)
    {
        string folders = (dataDirGiven ? "" : "--data-dir (not given); ") + string.Join("; ", searched.Select(s => $"{s.Folder} ({s.Reason})"));
        return $"{datasetName} was not found. Folders searched: {folders}. {howToGetIt}";
    }
}
