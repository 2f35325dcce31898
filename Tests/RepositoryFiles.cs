namespace StaticGraph.Tests;

/// <summary>Finds files of the repository the tests were built from (documents that tests keep true).</summary>
internal static class RepositoryFiles
{
    /// <summary>The folder holding Graph.sln, found upwards from the test binaries.</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>The full path of <paramref name="relative"/> in the repository.</summary>
    public static string PathOf(string relative) => Path.Combine(Root, relative);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Graph.sln"))) return dir.FullName;
        throw new InvalidOperationException($"no Graph.sln above {AppContext.BaseDirectory}");
    }
}
