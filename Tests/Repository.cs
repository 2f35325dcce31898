namespace StaticGraph.Tests;

/// <summary>The repository the tests run from, for tests that check documents and sources against the code.</summary>
internal static class Repository
{
    /// <summary>The folder holding <c>Graph.sln</c>, searched upwards from the test binaries.</summary>
    public static string Root()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Graph.sln"))) return dir.FullName;
        throw new DirectoryNotFoundException($"no Graph.sln above {AppContext.BaseDirectory}");
    }
}
