namespace StaticGraph.Data;

/// <summary>A data set as `sgtrain data fetch` downloads it: its name, its publisher's address and its files.</summary>
/// <param name="Name">The fetch name (mnist, kmnist, fashion-mnist, cifar10, cifar100), also its user-cache folder.</param>
/// <param name="Title">The data set's name for messages.</param>
/// <param name="BaseUrl">The publisher's folder; each file is its name appended (a mirror replaces this).</param>
/// <param name="Files">The files to download.</param>
public sealed record DatasetSource(string Name, string Title, Uri BaseUrl, IReadOnlyList<DownloadFile> Files);
