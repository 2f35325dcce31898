using System.IO.Compression;
using System.Net;
using System.Net.Sockets;
using StaticGraph.Data;
using Xunit;

namespace StaticGraph.Tests.Fetch;

/// <summary>
/// `data fetch` against an HTTP server on 127.0.0.1 that each test starts and stops, serving files the test makes:
/// good, resumable, truncated, corrupted, recompressed, cut off midway, or nothing at all (offline).
/// </summary>
public sealed class FetchTests : IDisposable
{
    private readonly LoopbackServer _server = new();
    private readonly ToyDataset _toy = new();
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(30) };
    private readonly string _root = Path.Combine(Path.GetTempPath(), "sg-fetch-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        _server.Dispose();
        _http.Dispose();
        if (Directory.Exists(_root)) Directory.Delete(_root, recursive: true);
    }

    private string Folder => Path.Combine(_root, "toy");

    private IReadOnlyList<string> Fetch(DatasetSource source, Uri? mirror = null) =>
        new DatasetFetcher(_http).FetchAsync(source, Folder, mirror, TestContext.Current.CancellationToken).GetAwaiter().GetResult();

    private string[] FilesLeft() => Directory.Exists(Folder) ? [.. Directory.GetFiles(Folder).Select(Path.GetFileName).Order()!] : [];

    [Fact]
    public void Fetches_verifies_and_renames_into_place_then_skips_what_is_present()
    {
        _toy.ServeOn(_server);

        Assert.Equal(["payload.gz", "set.tar.gz"], Fetch(_toy.Source(_server.BaseUrl)));

        Assert.Equal(["one.bin", "payload.gz", "two.bin"], FilesLeft());
        Assert.Equal(_toy.Gzip, File.ReadAllBytes(Path.Combine(Folder, "payload.gz")));
        Assert.Equal(_toy.Two, File.ReadAllBytes(Path.Combine(Folder, "two.bin")));
        var requests = _server.Requests.Count;
        Assert.Empty(Fetch(_toy.Source(_server.BaseUrl)));
        Assert.Equal(requests, _server.Requests.Count);
    }

    [Fact]
    public void Resumes_a_partial_download_with_a_range_request()
    {
        _toy.ServeOn(_server);
        Directory.CreateDirectory(Folder);
        File.WriteAllBytes(Path.Combine(Folder, "payload.gz.partial"), _toy.Gzip[..1000]);

        Fetch(_toy.Source(_server.BaseUrl));

        Assert.Contains("payload.gz bytes=1000-", _server.Requests);
        Assert.Equal(_toy.Gzip, File.ReadAllBytes(Path.Combine(Folder, "payload.gz")));
        Assert.DoesNotContain(FilesLeft(), f => f.EndsWith(".partial", StringComparison.Ordinal));
    }

    [Fact]
    public void Starts_again_when_the_server_ignores_the_range()
    {
        _toy.ServeOn(_server);
        _server.Serve("payload.gz", _toy.Gzip, ServeMode.IgnoreRange);
        Directory.CreateDirectory(Folder);
        File.WriteAllBytes(Path.Combine(Folder, "payload.gz.partial"), [1, 2, 3, 4]);

        Fetch(_toy.Source(_server.BaseUrl));

        Assert.Equal(_toy.Gzip, File.ReadAllBytes(Path.Combine(Folder, "payload.gz")));
    }

    [Fact]
    public void A_truncated_file_is_one_line_and_leaves_nothing_behind()
    {
        _toy.ServeOn(_server);
        _server.Serve("payload.gz", _toy.Gzip[..(_toy.Gzip.Length / 2)]);

        var e = Assert.Throws<FetchException>(() => Fetch(_toy.Source(_server.BaseUrl)));

        Assert.StartsWith("payload.gz: ", e.Message);
        Assert.Contains("truncated", e.Message);
        Assert.DoesNotContain('\n', e.Message);
        Assert.False(e.Unreachable);
        Assert.False(Directory.Exists(Folder), string.Join(", ", FilesLeft()));
    }

    [Fact]
    public void A_corrupted_payload_is_one_line_and_leaves_nothing_behind()
    {
        _toy.ServeOn(_server);
        var changed = (byte[])_toy.Payload.Clone();
        changed[12345] ^= 0x40;
        _server.Serve("payload.gz", ToyDataset.Compress(changed, CompressionLevel.Optimal));

        var e = Assert.Throws<FetchException>(() => Fetch(_toy.Source(_server.BaseUrl)));

        Assert.Matches(@"^payload\.gz: payload has SHA-256 [0-9a-f]{64}, expected [0-9a-f]{64} \(corrupted\)$", e.Message);
        Assert.False(Directory.Exists(Folder));
    }

    [Fact]
    public void A_recompressed_copy_verifies_by_its_payload()
    {
        // Debian repacks its data sets: the .gz differs from the published one, the payload does not.
        _toy.ServeOn(_server);
        var recompressed = ToyDataset.Compress(_toy.Payload, CompressionLevel.Fastest);
        Assert.NotEqual(_toy.Gzip, recompressed);
        _server.Serve("payload.gz", recompressed);

        Fetch(_toy.Source(_server.BaseUrl));

        Assert.Equal(recompressed, File.ReadAllBytes(Path.Combine(Folder, "payload.gz")));
    }

    [Fact]
    public void A_payload_without_a_recorded_checksum_needs_the_published_md5()
    {
        _toy.ServeOn(_server);
        var tampered = (byte[])_toy.Tarball.Clone();
        tampered[^8] ^= 0x01; // the gzip trailer's CRC: the members still read, the download's MD5 changes
        _server.Serve("set.tar.gz", tampered);

        var e = Assert.Throws<FetchException>(() => Fetch(_toy.Source(_server.BaseUrl)));

        Assert.StartsWith("set.tar.gz: MD5 ", e.Message);
        Assert.Contains("no SHA-256 of one.bin is recorded", e.Message);
        Assert.Equal(["payload.gz"], FilesLeft());
    }

    [Fact]
    public void Offline_is_one_line_and_leaves_nothing_behind()
    {
        var closed = new TcpListener(IPAddress.Loopback, 0);
        closed.Start();
        var port = ((IPEndPoint)closed.LocalEndpoint).Port;
        closed.Stop();

        var e = Assert.Throws<FetchException>(() => Fetch(_toy.Source(new Uri($"http://127.0.0.1:{port}/"))));

        Assert.StartsWith($"payload.gz: cannot download http://127.0.0.1:{port}/payload.gz: ", e.Message);
        Assert.DoesNotContain('\n', e.Message);
        Assert.True(e.Unreachable);
        Assert.False(Directory.Exists(Folder));
    }

    [Fact]
    public void A_file_the_server_does_not_have_is_one_line_with_its_answer()
    {
        var e = Assert.Throws<FetchException>(() => Fetch(_toy.Source(_server.BaseUrl)));

        Assert.Equal($"payload.gz: {new Uri(_server.BaseUrl, "payload.gz")} answered 404 Not Found", e.Message);
        Assert.True(e.Unreachable);
        Assert.False(Directory.Exists(Folder));
    }

    [Fact]
    public void A_dropped_connection_keeps_what_arrived_and_the_next_fetch_resumes()
    {
        _toy.ServeOn(_server);
        _server.Serve("payload.gz", _toy.Gzip, ServeMode.DropHalfway);

        var e = Assert.Throws<FetchException>(() => Fetch(_toy.Source(_server.BaseUrl)));

        Assert.Contains($"stopped after {_toy.Gzip.Length / 2} of {_toy.Gzip.Length} bytes", e.Message);
        Assert.EndsWith("run the command again to resume", e.Message);
        Assert.Equal(["payload.gz.partial"], FilesLeft());

        _server.Serve("payload.gz", _toy.Gzip);
        Fetch(_toy.Source(_server.BaseUrl));

        Assert.Contains($"payload.gz bytes={_toy.Gzip.Length / 2}-", _server.Requests);
        Assert.Equal(["one.bin", "payload.gz", "two.bin"], FilesLeft());
    }

    [Fact]
    public void A_mirror_replaces_the_published_address()
    {
        _toy.ServeOn(_server, prefix: "mirror/toy/");

        Fetch(_toy.Source(new Uri("http://publisher.invalid/data/")), new Uri(_server.BaseUrl, "mirror/toy"));

        Assert.Equal(["mirror/toy/payload.gz", "mirror/toy/set.tar.gz"], _server.Requests.Order());
    }
}
