namespace StaticGraph.Data;

/// <summary>The batches of one epoch, for <c>foreach</c>; enumerating allocates nothing.</summary>
public readonly ref struct EpochBatches
{
    private readonly ReadOnlySpan<int> _order;
    private readonly int _batchSize;
    private readonly int _batchCount;
    private readonly long _firstId;

    internal EpochBatches(ReadOnlySpan<int> order, int batchSize, int batchCount, long firstId)
    {
        _order = order;
        _batchSize = batchSize;
        _batchCount = batchCount;
        _firstId = firstId;
    }

    /// <summary>Number of batches in the epoch.</summary>
    public int Count => _batchCount;

    /// <summary>Batch <paramref name="index"/> of the epoch.</summary>
    public PlannedBatch this[int index]
    {
        get
        {
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)index, (uint)_batchCount, nameof(index));
            int start = index * _batchSize;
            int size = Math.Min(_batchSize, _order.Length - start);
            return new PlannedBatch(index, _firstId + index, _order.Slice(start, size));
        }
    }

    /// <summary>Starts enumerating the batches in order.</summary>
    public Enumerator GetEnumerator() => new(this);

    /// <summary>Walks the batches of an epoch.</summary>
    public ref struct Enumerator
    {
        private readonly EpochBatches _batches;
        private int _index;

        internal Enumerator(EpochBatches batches)
        {
            _batches = batches;
            _index = -1;
        }

        /// <summary>The current batch.</summary>
        public readonly PlannedBatch Current => _batches[_index];

        /// <summary>Advances to the next batch; false after the last.</summary>
        public bool MoveNext() => ++_index < _batches._batchCount;
    }
}
