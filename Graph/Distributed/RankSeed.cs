namespace StaticGraph.Distributed;

/// <summary>
/// The Philox key of the random ops on each rank of a data-parallel run. Every rank runs the same program on another slice
/// of the batch; drawing with the run's seed everywhere would give image i of every slice the same Cutout box, the same
/// Shake-Shake coefficients. Rank 0 keeps the seed (a world of one draws as before); rank r &gt; 0 XORs it with r times the
/// 64-bit golden ratio, a distinct key per rank. Initialisers keep the run's seed on every rank, so the variables start equal.
/// </summary>
public static class RankSeed
{
    /// <summary>The draw key of <paramref name="rank"/> for the run's <paramref name="seed"/>.</summary>
    public static ulong For(ulong seed, int rank)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rank);
        return rank == 0 ? seed : seed ^ unchecked(0x9E3779B97F4A7C15UL * (ulong)rank);
    }
}
