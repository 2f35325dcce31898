using StaticGraph.Distributed;

namespace StaticGraph.Train.Training;

/// <summary>
/// A rank's share of a global batch: rank r of N takes positions [r·B/N, (r+1)·B/N) of every batch, in the one seeded
/// order all ranks compute alike, so the ranks' slices are disjoint and together the single-process batch.
/// </summary>
/// <param name="Start">The first position of the rank's slice.</param>
/// <param name="Count">The slice's length, B/N.</param>
public readonly record struct RankShare(int Start, int Count)
{
    /// <summary>The share of <paramref name="world"/>'s rank in a batch of <paramref name="batch"/>; a batch that does not split evenly is refused.</summary>
    public static RankShare Of(int batch, ICommunicator world)
    {
        ArgumentNullException.ThrowIfNull(world);
        if (batch % world.Size != 0)
            throw new ArgumentException($"--batch-size {batch} does not split over {world.Size} ranks: the global batch must be a multiple of the number of ranks");
        var count = batch / world.Size;
        return new RankShare(world.Rank * count, count);
    }
}
