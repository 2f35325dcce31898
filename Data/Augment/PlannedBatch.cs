namespace StaticGraph.Data;

/// <summary>One batch of an epoch: its position, its run-wide id (for augmentation seeding) and the dataset indices it holds.</summary>
/// <param name="Index">Position of the batch in its epoch.</param>
/// <param name="Id">Run-wide batch id: epoch x batches per epoch + index.</param>
/// <param name="Indices">Dataset indices of the batch's images; valid until the plan starts another epoch.</param>
public readonly ref struct PlannedBatch(int Index, long Id, ReadOnlySpan<int> Indices)
{
    /// <summary>Position of the batch in its epoch.</summary>
    public int Index { get; } = Index;

    /// <summary>Run-wide batch id: epoch x batches per epoch + index.</summary>
    public long Id { get; } = Id;

    /// <summary>Dataset indices of the batch's images; valid until the plan starts another epoch.</summary>
    public ReadOnlySpan<int> Indices { get; } = Indices;

    /// <summary>Images in this batch (the last one may be short when partial batches are kept).</summary>
    public int Size => Indices.Length;
}
