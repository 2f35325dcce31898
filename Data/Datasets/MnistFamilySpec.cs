namespace StaticGraph.Data;

/// <summary>
/// What distinguishes one MNIST-format dataset from another: its name, where it is installed by
/// default, and its normalisation statistics. File names, image size and class count are shared.
/// </summary>
/// <param name="Name">Human-readable name, e.g. "Fashion-MNIST".</param>
/// <param name="DefaultFolder">Folder searched after the user-given one.</param>
/// <param name="Mean">Mean of pixel/255 over the training images.</param>
/// <param name="Std">Standard deviation of pixel/255 over the training images.</param>
/// <param name="DebianPackage">The Debian package that installs it into <paramref name="DefaultFolder"/>, if there is one.</param>
public sealed record MnistFamilySpec(string Name, string DefaultFolder, float Mean, float Std, string? DebianPackage);
