namespace StaticGraph.Data;

/// <summary>
/// Splits each epoch into batches: shuffled by <see cref="EpochOrder"/> (training) or in dataset order
/// (evaluation), dropping or keeping a final partial batch. The order buffer is reused across epochs,
/// so the training loop allocates nothing.
/// </summary>
public sealed class BatchPlan
{
    private readonly int[] _order;

    /// <summary>Plans batches of <paramref name="batchSize"/> over <paramref name="count"/> examples.</summary>
    /// <param name="count">Examples in the dataset.</param>
    /// <param name="batchSize">Examples per batch.</param>
    /// <param name="shuffle">Visit examples in a seeded per-epoch order rather than 0, 1, 2, ...</param>
    /// <param name="dropLast">Skip a final batch smaller than <paramref name="batchSize"/> (keeps batch shapes static for training).</param>
    /// <param name="seed">The run's seed, used for shuffling.</param>
    public BatchPlan(int count, int batchSize, bool shuffle, bool dropLast, ulong seed)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize);
        Count = count;
        BatchSize = batchSize;
        Shuffle = shuffle;
        DropLast = dropLast;
        Seed = seed;
        BatchCount = dropLast ? count / batchSize : (count + batchSize - 1) / batchSize;
        _order = new int[count];
    }

    /// <summary>Examples in the dataset.</summary>
    public int Count { get; }

    /// <summary>Examples per (full) batch.</summary>
    public int BatchSize { get; }

    /// <summary>Whether epochs are shuffled.</summary>
    public bool Shuffle { get; }

    /// <summary>Whether a final partial batch is skipped.</summary>
    public bool DropLast { get; }

    /// <summary>The seed shuffles are drawn from.</summary>
    public ulong Seed { get; }

    /// <summary>Batches per epoch.</summary>
    public int BatchCount { get; }

    /// <summary>
    /// Lays out epoch <paramref name="epoch"/> and returns its batches. The returned view shares the plan's
    /// buffer, so it is valid until the next call.
    /// </summary>
    public EpochBatches StartEpoch(int epoch)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(epoch);
        if (Shuffle)
        {
            EpochOrder.Shuffle(_order, Seed, epoch);
        }
        else
        {
            for (int i = 0; i < _order.Length; i++)
                _order[i] = i;
        }
        return new EpochBatches(_order, BatchSize, BatchCount, (long)epoch * BatchCount);
    }
}
