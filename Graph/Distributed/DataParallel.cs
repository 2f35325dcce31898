namespace StaticGraph;

/// <summary>
/// Data parallelism as a graph transformation: each of <see cref="World"/> ranks computes the gradients of its own slice of
/// the batch, and the transformation replaces them, before the optimizer sees them, by their mean over the ranks, so
/// every rank applies the same update. Gradients are flattened and joined into buckets of at most
/// <see cref="BucketBytes"/> (one <c>all_reduce</c> node each, then sliced back), so that a step issues few reductions.
/// The new values of the builder's state updates (batch norm's running statistics) are averaged the same way, so every
/// variable stays bitwise identical on every rank; the forward pass still normalises with each rank's own batch
/// statistics. With a world of one nothing is inserted.
/// </summary>
public sealed record DataParallel
{
    /// <summary>25 MiB.</summary>
    public const long DefaultBucketBytes = 25L << 20;

    /// <summary>Data parallelism over <paramref name="world"/> ranks, with buckets of at most <paramref name="bucketBytes"/>.</summary>
    public DataParallel(int world, long bucketBytes = DefaultBucketBytes)
    {
        if (world < 1) throw new ArgumentOutOfRangeException(nameof(world), $"the world size must be at least 1, got {world}");
        if (bucketBytes <= 0) throw new ArgumentOutOfRangeException(nameof(bucketBytes), $"the bucket size must be positive, got {bucketBytes}");
        World = world;
        BucketBytes = bucketBytes;
    }

    /// <summary>The number of ranks.</summary>
    public int World { get; }

    /// <summary>The most bytes one bucket joins (25 MiB, PyTorch DDP's default); a larger tensor is a bucket of its own.</summary>
    public long BucketBytes { get; }

    /// <summary>
    /// The mean over the ranks of each of <paramref name="values"/>, in the same order: values of one dtype are joined, in
    /// order, into buckets of at most <see cref="BucketBytes"/>; each bucket is one <c>all_reduce</c>. The values themselves
    /// when <see cref="World"/> is 1.
    /// </summary>
    public IReadOnlyList<Node> Mean(GraphBuilder b, IReadOnlyList<Node> values)
    {
        ArgumentNullException.ThrowIfNull(b);
        ArgumentNullException.ThrowIfNull(values);
        if (World == 1) return values;
        var result = new Node[values.Count];
        var bucket = ExistingBuckets(b);
        foreach (var group in Buckets(values))
        {
            var flat = group.Select(i => b.Reshape(values[i], (int)values[i].Shape.ElementCount)).ToArray();
            var joined = flat.Length == 1 ? flat[0] : b.Concat(0, flat);
            var reduced = b.Apply(new AllReduceOp(bucket++, World), joined);
            var start = 0;
            foreach (var i in group)
            {
                var length = (int)values[i].Shape.ElementCount;
                var part = group.Count == 1 ? reduced : b.Slice(reduced, 0, start, start + length);
                result[i] = b.Reshape(part, values[i].Shape);
                start += length;
            }
        }
        return result;
    }

    /// <summary>
    /// The buckets of <paramref name="values"/>, as index lists: values of one dtype in order, a bucket closed when the next
    /// value would take it past <see cref="BucketBytes"/>.
    /// </summary>
    public IReadOnlyList<IReadOnlyList<int>> Buckets(IReadOnlyList<Node> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var buckets = new List<IReadOnlyList<int>>();
        foreach (var dtype in values.Select(v => v.DType).Distinct())
        {
            var current = new List<int>();
            long bytes = 0;
            for (var i = 0; i < values.Count; i++)
            {
                if (values[i].DType != dtype) continue;
                if (!dtype.IsFloat()) throw new GraphBuildException($"{values[i]}: {values[i].Type} cannot be averaged over ranks: only floating-point values can");
                var size = values[i].Type.SizeInBytes;
                if (current.Count > 0 && bytes + size > BucketBytes)
                {
                    buckets.Add(current);
                    (current, bytes) = ([], 0);
                }
                current.Add(i);
                bytes += size;
            }
            if (current.Count > 0) buckets.Add(current);
        }
        return buckets;
    }

    /// <summary>Buckets already in the graph (a builder could host two programs), so that bucket numbers stay distinct.</summary>
    private static int ExistingBuckets(GraphBuilder b) => b.Nodes.Count(n => n.Op is AllReduceOp);
}
