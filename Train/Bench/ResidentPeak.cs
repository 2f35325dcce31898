namespace StaticGraph.Train.Bench;

/// <summary>
/// The peak resident set of a phase, from <see cref="Start"/> to <see cref="StopKib"/>: the kernel's high-water mark
/// reset at the start where it can be, else the resident set sampled every 2 ms on a background thread (which can miss
/// a spike shorter than that; the reset is exact and costs the measured code nothing).
/// </summary>
public sealed class ResidentPeak : IDisposable
{
    private readonly Thread? _sampler;
    private volatile bool _running;
    private long _peakKib;

    private ResidentPeak(bool sample)
    {
        if (!sample) return;
        _running = true;
        _sampler = new Thread(Sample) { IsBackground = true, Name = "resident-peak" };
        _sampler.Start();
    }

    /// <summary>True when the peak comes from the sampling thread rather than the kernel's reset high-water mark.</summary>
    public bool Sampled => _sampler is not null;

    /// <summary>Starts measuring now.</summary>
    public static ResidentPeak Start() => new(sample: !ResidentMemory.TryResetPeak());

    /// <summary>The peak since <see cref="Start"/>, in KiB; stops the sampler.</summary>
    public long StopKib()
    {
        if (_sampler is null) return ResidentMemory.PeakKib();
        _running = false;
        _sampler.Join();
        return Math.Max(Interlocked.Read(ref _peakKib), ResidentMemory.CurrentKib());
    }

    /// <summary>Stops the sampler if it still runs.</summary>
    public void Dispose()
    {
        _running = false;
        _sampler?.Join();
    }

    private void Sample()
    {
        while (_running)
        {
            var now = ResidentMemory.CurrentKib();
            if (now > Interlocked.Read(ref _peakKib)) Interlocked.Exchange(ref _peakKib, now);
            Thread.Sleep(2);
        }
    }
}
