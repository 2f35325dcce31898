using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace StaticGraph.Tests.Fetch;

/// <summary>How the loopback server answers for one file.</summary>
internal enum ServeMode
{
    /// <summary>200 for the whole file, 206 for a Range request.</summary>
    Normal,

    /// <summary>Always 200 with the whole file, as a server without Range support does.</summary>
    IgnoreRange,

    /// <summary>Announces the whole file, sends half of it, and closes the connection.</summary>
    DropHalfway,
}

/// <summary>
/// A minimal HTTP/1.1 file server on 127.0.0.1 (one request per connection), started and stopped by a test, so
/// downloads are tested against real sockets and real Range handling without any network.
/// </summary>
internal sealed class LoopbackServer : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly ConcurrentDictionary<string, (byte[] Content, ServeMode Mode)> _files = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public LoopbackServer()
    {
        _listener.Start();
        BaseUrl = new Uri($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/");
        _loop = Task.Run(AcceptLoop);
    }

    /// <summary>The server's root.</summary>
    public Uri BaseUrl { get; }

    /// <summary>Each request as "PATH" or "PATH bytes=N-", in arrival order.</summary>
    public ConcurrentQueue<string> Requests { get; } = new();

    /// <summary>Serves <paramref name="content"/> at /<paramref name="path"/>.</summary>
    public void Serve(string path, byte[] content, ServeMode mode = ServeMode.Normal) => _files[path] = (content, mode);

    private async Task AcceptLoop()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }
            _ = Task.Run(() => Handle(client));
        }
    }

    private void Handle(TcpClient client)
    {
        using (client)
        {
            try
            {
                var stream = client.GetStream();
                var (path, rangeStart) = ReadRequest(stream);
                Requests.Enqueue(rangeStart is { } r ? $"{path} bytes={r}-" : path);
                if (!_files.TryGetValue(path, out var file))
                {
                    Write(stream, "404 Not Found", [], []);
                    return;
                }
                var (content, mode) = file;
                if (rangeStart is { } start && mode != ServeMode.IgnoreRange)
                {
                    if (start >= content.Length)
                    {
                        Write(stream, "416 Range Not Satisfiable", [$"Content-Range: bytes */{content.Length}"], []);
                        return;
                    }
                    Write(stream, "206 Partial Content", [$"Content-Range: bytes {start}-{content.Length - 1}/{content.Length}"], content[(int)start..]);
                    return;
                }
                if (mode == ServeMode.DropHalfway)
                {
                    WriteHead(stream, "200 OK", [], content.Length);
                    stream.Write(content, 0, content.Length / 2);
                    stream.Flush();
                    client.Client.Shutdown(SocketShutdown.Both);
                    return;
                }
                Write(stream, "200 OK", ["Accept-Ranges: bytes"], content);
            }
            catch (IOException)
            {
                // The client gave up; nothing to answer.
            }
        }
    }

    private static (string Path, long? RangeStart) ReadRequest(NetworkStream stream)
    {
        var head = new StringBuilder();
        var one = new byte[1];
        while (!head.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal) && stream.Read(one) == 1) head.Append((char)one[0]);
        var lines = head.ToString().Split("\r\n");
        var path = Uri.UnescapeDataString(lines[0].Split(' ')[1].TrimStart('/'));
        long? range = null;
        foreach (var line in lines.Skip(1))
        {
            if (line.StartsWith("Range: bytes=", StringComparison.OrdinalIgnoreCase))
                range = long.Parse(line["Range: bytes=".Length..].TrimEnd('-'), System.Globalization.CultureInfo.InvariantCulture);
        }
        return (path, range);
    }

    private static void Write(NetworkStream stream, string status, string[] headers, byte[] body)
    {
        WriteHead(stream, status, headers, body.Length);
        stream.Write(body);
        stream.Flush();
    }

    private static void WriteHead(NetworkStream stream, string status, string[] headers, long length)
    {
        var head = new StringBuilder($"HTTP/1.1 {status}\r\nContent-Length: {length}\r\nConnection: close\r\n");
        foreach (var h in headers) head.Append(h).Append("\r\n");
        stream.Write(Encoding.ASCII.GetBytes(head.Append("\r\n").ToString()));
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        try
        {
            _loop.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
            // The accept loop ends by cancellation.
        }
        _stop.Dispose();
    }
}
