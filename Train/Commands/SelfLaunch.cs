namespace StaticGraph.Train.Commands;

/// <summary>
/// How to start this command line again in another process (a bench worker, the ranks of <c>mpirun</c>): the dotnet host
/// and this assembly's path.
/// </summary>
public static class SelfLaunch
{
    /// <summary>The <c>sgtrain.dll</c> this code runs from (under a test host, the copy beside the tests).</summary>
    public static string Assembly => typeof(SelfLaunch).Assembly.Location;

    /// <summary>
    /// The dotnet host: this process when it is one (<c>dotnet sgtrain.dll</c>), else the one that runs this runtime
    /// (three folders above the runtime's, <c>shared/Microsoft.NETCore.App/VERSION</c>), else <c>dotnet</c> on the PATH.
    /// </summary>
    public static string DotnetHost()
    {
        var self = Environment.ProcessPath;
        if (self is not null && Path.GetFileNameWithoutExtension(self) == "dotnet") return self;
        var runtime = Path.GetDirectoryName(typeof(object).Assembly.Location);
        if (runtime is not null)
        {
            var host = Path.GetFullPath(Path.Combine(runtime, "..", "..", "..", OperatingSystem.IsWindows() ? "dotnet.exe" : "dotnet"));
            if (File.Exists(host)) return host;
        }
        return "dotnet";
    }

    /// <summary>
    /// Open MPI's <c>mpirun</c> on the PATH (or in /usr/bin), or null: what a data-parallel bench or test needs to start ranks.
    /// </summary>
    public static string? Mpirun()
    {
        foreach (var folder in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries).Append("/usr/bin"))
        {
            var path = Path.Combine(folder, "mpirun");
            if (File.Exists(path)) return path;
        }
        return null;
    }

    /// <summary>
    /// The arguments that start <paramref name="ranks"/> ranks of this command line on this machine: as root when this is
    /// root (Open MPI refuses it otherwise), and more ranks than cores allowed (a shared machine, a test).
    /// </summary>
    public static IReadOnlyList<string> MpirunArguments(int ranks, params string[] arguments) =>
        ["--allow-run-as-root", "--oversubscribe", "-np", ranks.ToString(System.Globalization.CultureInfo.InvariantCulture), DotnetHost(), Assembly, .. arguments];
}
