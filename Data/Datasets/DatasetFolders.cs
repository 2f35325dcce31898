namespace StaticGraph.Data;

/// <summary>
/// Where data sets are looked for, in order: the folder the user names (--data-dir), the per-user cache that
/// `sgtrain data fetch` fills, then the system folder Debian's dataset-* packages install into. One place, so
/// every loader searches the same three and names all three when none holds the data.
/// </summary>
public static class DatasetFolders
{
    /// <summary>Where Debian's dataset packages install (dataset-fashion-mnist: /usr/share/datasets/fashion-mnist).</summary>
    public const string SystemRoot = "/usr/share/datasets";

    /// <summary>
    /// The per-user cache: $XDG_CACHE_HOME/staticgraph/datasets (else ~/.cache/staticgraph/datasets) on Unix,
    /// %LOCALAPPDATA%\StaticGraph\datasets on Windows.
    /// </summary>
    public static string UserCacheRoot { get; } = UserCacheRootFrom(Environment.GetEnvironmentVariable, OperatingSystem.IsWindows());

    /// <summary>The user-cache folder of the data set fetched as <paramref name="name"/> (e.g. "cifar10").</summary>
    public static string UserCacheFor(string name) => Path.Combine(UserCacheRoot, name);

    /// <summary>The cache root a process with <paramref name="environment"/> uses (separate so it can be tested without changing the process's environment).</summary>
    public static string UserCacheRootFrom(Func<string, string?> environment, bool windows)
    {
        ArgumentNullException.ThrowIfNull(environment);
        if (windows)
        {
            var local = environment("LOCALAPPDATA") is { Length: > 0 } l ? l : Path.GetTempPath();
            return Path.Combine(local, "StaticGraph", "datasets");
        }
        // The XDG base-directory rule: a relative XDG_CACHE_HOME is invalid and ignored.
        if (environment("XDG_CACHE_HOME") is { Length: > 0 } xdg && Path.IsPathRooted(xdg))
            return Path.Combine(xdg, "staticgraph", "datasets");
        var home = environment("HOME") is { Length: > 0 } h ? h : Path.GetTempPath();
        return Path.Combine(home, ".cache", "staticgraph", "datasets");
    }

    /// <summary>The folders to search, in order, each once: <paramref name="dataDir"/> if given, the cache folder, the system folder.</summary>
    public static IReadOnlyList<string> SearchOrder(string? dataDir, string? cacheFolder, string systemFolder)
    {
        var folders = new List<string>();
        foreach (var folder in new[] { dataDir, cacheFolder, systemFolder })
        {
            if (folder is null) continue;
            if (folders.Exists(f => Same(f, folder))) continue;
            folders.Add(folder);
        }
        return folders;
    }

    private static bool Same(string a, string b) =>
        Path.TrimEndingDirectorySeparator(Path.GetFullPath(a)) == Path.TrimEndingDirectorySeparator(Path.GetFullPath(b));
}
