namespace StaticGraph.Data;

/// <summary>
/// A small counter-based hash (the SplitMix64 finaliser) used wherever the data pipeline needs
/// randomness. Every random decision is a pure function of its key, so a resumed or re-run
/// training run sees exactly the same shuffles and augmentations, whatever order batches are built in.
/// </summary>
public static class DeterministicHash
{
    // The golden-ratio increment of SplitMix64; adding it before mixing keeps an all-zero key
    // from mapping to zero.
    private const ulong Gamma = 0x9E3779B97F4A7C15UL;

    /// <summary>Scrambles one 64-bit value (a bijection, so distinct inputs give distinct outputs).</summary>
    public static ulong Mix(ulong value)
    {
        ulong z = value + Gamma;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>
    /// Hashes a key made of a seed, a stream tag (which keeps unrelated uses of one seed independent)
    /// and two counters.
    /// </summary>
    public static ulong Hash(ulong seed, ulong stream, ulong first, ulong second)
    {
        // Chaining the bijective mixer feeds every word through a full avalanche before the next
        // one is folded in, so neighbouring counters give unrelated results.
        ulong h = Mix(seed);
        h = Mix(h ^ stream);
        h = Mix(h ^ first);
        return Mix(h ^ second);
    }

    /// <summary>The <paramref name="index"/>-th value of an independent sequence derived from <paramref name="key"/>.</summary>
    public static ulong Derive(ulong key, int index) => Mix(key + (ulong)(index + 1) * Gamma);

    /// <summary>Maps a hash to an integer in [0, <paramref name="bound"/>).</summary>
    /// <remarks>Multiply-high reduction: the bias is at most bound / 2^64, far below anything measurable.</remarks>
    public static int Below(ulong hash, int bound)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(bound);
        return (int)Math.BigMul(hash, (ulong)bound, out _);
    }
}
