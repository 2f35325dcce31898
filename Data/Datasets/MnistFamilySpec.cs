namespace StaticGraph.Data;

/// <summary>
/// What distinguishes one MNIST-format dataset from another: its name, where it is installed by
/// default, its normalisation statistics and its fetch name. File names, image size and class count are shared.
/// </summary>
/// <param name="Name">Human-readable name, e.g. "Fashion-MNIST".</param>
/// <param name="DefaultFolder">Folder searched after the user-given one.</param>
/// <param name="Mean">Mean of pixel/255 over the training images.</param>
/// <param name="Std">Standard deviation of pixel/255 over the training images.</param>
/// <param name="DebianPackage">The Debian package that installs it into <paramref name="DefaultFolder"/>, if there is one.</param>
/// <param name="FetchName">The name `sgtrain data fetch` knows it by, which is also its user-cache folder's name.</param>
public sealed record MnistFamilySpec(string Name, string DefaultFolder, float Mean, float Std, string? DebianPackage, string FetchName)
{
    /// <summary>The per-user cache folder searched between the user's folder and <see cref="DefaultFolder"/>; null skips it.</summary>
    public string? CacheFolder { get; init; } = DatasetFolders.UserCacheFor(FetchName);
}
