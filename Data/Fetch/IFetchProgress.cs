namespace StaticGraph.Data;

/// <summary>What a fetch reports while it runs, so a command line can draw a progress bar without the library knowing how.</summary>
public interface IFetchProgress
{
    /// <summary>A download of <paramref name="fileName"/> starts (or resumes at <paramref name="already"/> bytes) of <paramref name="total"/> bytes, when known.</summary>
    void Started(string fileName, long already, long? total);

    /// <summary><paramref name="bytes"/> more bytes of the current file arrived.</summary>
    void Advanced(long bytes);

    /// <summary>The current file is downloaded and verified (or was already present when <paramref name="skipped"/>).</summary>
    void Finished(string fileName, bool skipped);
}
