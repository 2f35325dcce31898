using System.CommandLine;
using Spectre.Console;
using StaticGraph.Data;

namespace StaticGraph.Train.Commands;

/// <summary>
/// `data fetch NAME`: downloads a data set from its publisher (or a mirror holding the same files under the same
/// names) into the per-user cache that `train` searches, or into --dir.
/// </summary>
public static class DataCommand
{
    /// <summary>The `data` command with its `fetch` subcommand.</summary>
    public static Command Create()
    {
        var name = new Argument<string>("name") { Description = $"Data set: {string.Join(", ", DatasetSources.All.Select(s => s.Name))}" };
        var dir = new Option<string?>("--dir") { Description = $"Folder to write to (default: {DatasetFolders.UserCacheFor("NAME")}, which train searches)" };
        var mirror = new Option<string?>("--mirror") { Description = "Base URL of a mirror holding the published files under their published names" };
        var fetch = new Command("fetch", "Download a data set, resuming a partial download and verifying checksums") { name, dir, mirror };
        fetch.SetAction(r => CommandErrors.Guard(() =>
        {
            var source = DatasetSources.Get(r.GetValue(name)!);
            var folder = r.GetValue(dir) ?? DatasetFolders.UserCacheFor(source.Name);
            var mirrorUri = r.GetValue(mirror) is { } m ? ParseMirror(m) : null;
            using var http = new HttpClient(new SocketsHttpHandler { ConnectTimeout = TimeSpan.FromSeconds(30) }) { Timeout = TimeSpan.FromMinutes(2) };
            IReadOnlyList<string> fetched;
            try
            {
                fetched = WithProgress(progress => new DatasetFetcher(http, progress).FetchAsync(source, folder, mirrorUri).GetAwaiter().GetResult());
            }
            catch (FetchException e) when (e.Unreachable && mirrorUri is null)
            {
                // Publishers move or close their pages; the checksums make any copy safe to take.
                throw new FetchException($"{e.Message}; --mirror URL takes the same files from a mirror", e);
            }
            Console.WriteLine(fetched.Count == 0
                ? $"{source.Title} is already in {Path.GetFullPath(folder)} and verified"
                : $"{source.Title}: {string.Join(", ", fetched)} downloaded and verified into {Path.GetFullPath(folder)}");
            return 0;
        }));
        return new Command("data", "Data sets: fetch") { fetch };
    }

    private static Uri ParseMirror(string text) =>
        Uri.TryCreate(text, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
            ? uri : throw new ArgumentException($"--mirror must be an absolute http or https URL, got '{text}'");

    private static T WithProgress<T>(Func<IFetchProgress, T> work)
    {
        if (!AnsiConsole.Profile.Capabilities.Interactive) return work(new LineProgress());
        var result = default(T)!;
        AnsiConsole.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new DownloadedColumn(), new TransferSpeedColumn(), new RemainingTimeColumn())
            .Start(ctx => result = work(new BarProgress(ctx)));
        return result;
    }

    /// <summary>A progress bar per file on a terminal.</summary>
    private sealed class BarProgress(ProgressContext ctx) : IFetchProgress
    {
        private ProgressTask? _task;

        public void Started(string fileName, long already, long? total)
        {
            _task = ctx.AddTask(fileName, maxValue: total ?? double.MaxValue);
            if (total is null) _task.IsIndeterminate = true;
            _task.Value = already;
        }

        public void Advanced(long bytes) => _task?.Increment(bytes);

        public void Finished(string fileName, bool skipped)
        {
            if (skipped) ctx.AddTask(fileName + " (already present)", maxValue: 1).Value = 1;
            else _task?.StopTask();
        }
    }

    /// <summary>One line per file for logs and CI.</summary>
    private sealed class LineProgress : IFetchProgress
    {
        public void Started(string fileName, long already, long? total) =>
            Console.WriteLine($"{fileName}: downloading{(already > 0 ? $" from byte {already}" : "")}{(total is { } t ? $" ({t} bytes)" : "")}");

        public void Advanced(long bytes) { }

        public void Finished(string fileName, bool skipped) =>
            Console.WriteLine(skipped ? $"{fileName}: already present and verified" : $"{fileName}: verified");
    }
}
