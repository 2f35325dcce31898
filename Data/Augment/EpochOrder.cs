namespace StaticGraph.Data;

/// <summary>
/// The order in which an epoch visits the dataset: a Fisher–Yates shuffle whose every swap is drawn
/// from <see cref="DeterministicHash"/>, so the order is a pure function of (seed, epoch) and a
/// resumed run replays it exactly.
/// </summary>
public static class EpochOrder
{
    // Separates shuffle draws from other uses of the same seed (e.g. augmentation).
    private const ulong ShuffleStream = 0x5B_0FF1E;

    /// <summary>A new array holding a permutation of 0..<paramref name="count"/>-1.</summary>
    public static int[] Shuffle(int count, ulong seed, int epoch)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var order = new int[count];
        Shuffle(order, seed, epoch);
        return order;
    }

    /// <summary>Fills <paramref name="order"/> with a permutation of 0..order.Length-1, without allocating.</summary>
    public static void Shuffle(Span<int> order, ulong seed, int epoch)
    {
        for (int i = 0; i < order.Length; i++)
            order[i] = i;
        for (int i = order.Length - 1; i > 0; i--)
        {
            // Each step hashes its own counter instead of advancing a generator: same result, no state to carry.
            int j = DeterministicHash.Below(DeterministicHash.Hash(seed, ShuffleStream, (ulong)epoch, (ulong)i), i + 1);
            (order[i], order[j]) = (order[j], order[i]);
        }
    }
}
