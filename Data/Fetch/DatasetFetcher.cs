using System.Net;
using System.Net.Http.Headers;

namespace StaticGraph.Data;

/// <summary>
/// Downloads a data set's files into a folder: resumes a partial download with an HTTP Range request, checks
/// every payload (exact length, and its SHA-256 or else the publisher's MD5 of the download), and only then
/// renames the files into place. A failure is one <see cref="FetchException"/> line naming the file and why, and
/// leaves nothing behind — except a download cut off midway, which is kept as NAME.partial to resume from.
/// </summary>
public sealed class DatasetFetcher(HttpClient http, IFetchProgress? progress = null)
{
    private const string PartialSuffix = ".partial";

    /// <summary>Fetches every file of <paramref name="source"/> into <paramref name="folder"/>, from <paramref name="mirror"/> when given.</summary>
    /// <returns>The names of the files downloaded (those already present and intact are skipped).</returns>
    public async Task<IReadOnlyList<string>> FetchAsync(DatasetSource source, string folder, Uri? mirror = null, CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        var baseUrl = mirror is null ? source.BaseUrl : WithTrailingSlash(mirror);
        var created = !Directory.Exists(folder);
        Directory.CreateDirectory(folder);
        var downloaded = new List<string>();
        try
        {
            foreach (var file in source.Files)
            {
                if (PayloadCheck.IsPresent(file, folder))
                {
                    progress?.Finished(file.FileName, skipped: true);
                    continue;
                }
                await FetchFileAsync(file, folder, new Uri(baseUrl, file.FileName), cancel);
                downloaded.Add(file.FileName);
                progress?.Finished(file.FileName, skipped: false);
            }
            return downloaded;
        }
        finally
        {
            // A folder this call created and left empty is removed again.
            if (created && Directory.Exists(folder) && !Directory.EnumerateFileSystemEntries(folder).Any()) Directory.Delete(folder);
        }
    }

    private async Task FetchFileAsync(DownloadFile file, string folder, Uri url, CancellationToken cancel)
    {
        var partial = Path.Combine(folder, file.FileName + PartialSuffix);
        await DownloadAsync(file, url, partial, cancel);
        IReadOnlyList<(string Temp, string Final)> extracted;
        try
        {
            extracted = PayloadCheck.Verify(file, partial, folder);
        }
        catch
        {
            File.Delete(partial);
            throw;
        }
        if (file.Kind == DownloadKind.Gzip)
        {
            File.Move(partial, Path.Combine(folder, file.FileName), overwrite: true);
            return;
        }
        foreach (var (temp, final) in extracted) File.Move(temp, final, overwrite: true);
        File.Delete(partial);
    }

    private async Task DownloadAsync(DownloadFile file, Uri url, string partial, CancellationToken cancel)
    {
        var have = File.Exists(partial) ? new FileInfo(partial).Length : 0;
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (have > 0) request.Headers.Range = new RangeHeaderValue(have, null);
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancel);
        }
        catch (HttpRequestException e)
        {
            throw new FetchException($"{file.FileName}: cannot download {url}: {e.Message}", e) { Unreachable = true };
        }
        using (response)
        {
            // The partial file is already whole: what it holds is checked next.
            if (response.StatusCode == HttpStatusCode.RequestedRangeNotSatisfiable && have > 0) return;
            if (!response.IsSuccessStatusCode)
                throw new FetchException($"{file.FileName}: {url} answered {(int)response.StatusCode} {response.ReasonPhrase}") { Unreachable = true };
            // 206 continues the partial file; a server that ignores Range sends everything again (200).
            var resume = response.StatusCode == HttpStatusCode.PartialContent && response.Content.Headers.ContentRange?.From == have;
            var start = resume ? have : 0;
            var total = resume ? response.Content.Headers.ContentRange!.Length : response.Content.Headers.ContentLength;
            progress?.Started(file.FileName, start, total);
            long received = 0;
            try
            {
                await using var input = await response.Content.ReadAsStreamAsync(cancel);
                await using var output = new FileStream(partial, resume ? FileMode.Append : FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16);
                var buffer = new byte[1 << 16];
                int read;
                while ((read = await input.ReadAsync(buffer, cancel)) > 0)
                {
                    await output.WriteAsync(buffer.AsMemory(0, read), cancel);
                    received += read;
                    progress?.Advanced(read);
                }
            }
            catch (Exception e) when (e is IOException or HttpRequestException)
            {
                var got = start + received;
                if (got == 0 && File.Exists(partial)) File.Delete(partial);
                var of = total is { } t ? $" of {t}" : "";
                throw new FetchException(got == 0
                    ? $"{file.FileName}: the download from {url} failed before any data arrived ({e.Message})"
                    : $"{file.FileName}: the download from {url} stopped after {got}{of} bytes ({e.Message}); run the command again to resume", e);
            }
        }
    }

    private static Uri WithTrailingSlash(Uri mirror) =>
        mirror.AbsoluteUri.EndsWith('/') ? mirror : new Uri(mirror.AbsoluteUri + "/");
}
