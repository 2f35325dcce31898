using StaticGraph.Data;
using Xunit;

namespace StaticGraph.Tests.Data;

public class BatchPlanTests
{
    [Theory]
    [InlineData(10, 3, true, 3)]
    [InlineData(10, 3, false, 4)]
    [InlineData(9, 3, true, 3)]
    [InlineData(9, 3, false, 3)]
    [InlineData(2, 3, true, 0)]
    [InlineData(0, 3, false, 0)]
    public void CountsBatchesWithAndWithoutDropLast(int count, int batchSize, bool dropLast, int expected)
    {
        var plan = new BatchPlan(count, batchSize, shuffle: true, dropLast, seed: 1);

        Assert.Equal(expected, plan.BatchCount);
        int seen = 0;
        foreach (PlannedBatch batch in plan.StartEpoch(0))
        {
            Assert.Equal(seen++, batch.Index);
            Assert.True(batch.Size == batchSize || (!dropLast && batch.Index == expected - 1));
        }
        Assert.Equal(expected, seen);
    }

    [Fact]
    public void KeptLastBatchIsPartialAndEveryExampleAppearsOnce()
    {
        var plan = new BatchPlan(10, 4, shuffle: true, dropLast: false, seed: 5);
        var visited = new List<int>();
        var sizes = new List<int>();

        foreach (PlannedBatch batch in plan.StartEpoch(2))
        {
            visited.AddRange(batch.Indices.ToArray());
            sizes.Add(batch.Size);
        }

        Assert.Equal([4, 4, 2], sizes);
        Assert.Equal(Enumerable.Range(0, 10), visited.Order());
        Assert.Equal(EpochOrder.Shuffle(10, 5, 2), visited);
    }

    [Fact]
    public void UnshuffledPlanVisitsInDatasetOrder()
    {
        var plan = new BatchPlan(7, 3, shuffle: false, dropLast: false, seed: 5);
        var visited = new List<int>();

        foreach (PlannedBatch batch in plan.StartEpoch(4))
            visited.AddRange(batch.Indices.ToArray());

        Assert.Equal(Enumerable.Range(0, 7), visited);
    }

    [Fact]
    public void BatchIdsContinueAcrossEpochs()
    {
        var plan = new BatchPlan(10, 3, shuffle: true, dropLast: true, seed: 5);

        EpochBatches epoch2 = plan.StartEpoch(2);

        Assert.Equal(3, epoch2.Count);
        Assert.Equal([6L, 7L, 8L], new[] { epoch2[0].Id, epoch2[1].Id, epoch2[2].Id });
    }

    [Fact]
    public void ResumedPlanReplaysTheSameBatches()
    {
        var original = new BatchPlan(50, 8, shuffle: true, dropLast: true, seed: 77);
        var resumed = new BatchPlan(50, 8, shuffle: true, dropLast: true, seed: 77);
        original.StartEpoch(0);
        int[] expected = original.StartEpoch(3)[2].Indices.ToArray();

        Assert.Equal(expected, resumed.StartEpoch(3)[2].Indices.ToArray());
    }

    [Fact]
    public void IteratingEpochsAllocatesNothing()
    {
        var plan = new BatchPlan(1000, 32, shuffle: true, dropLast: true, seed: 3);
        long checksum = 0;
        foreach (PlannedBatch batch in plan.StartEpoch(0))
            checksum += batch.Indices[0]; // warm-up

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int epoch = 1; epoch < 5; epoch++)
        {
            foreach (PlannedBatch batch in plan.StartEpoch(epoch))
                checksum += batch.Indices[0] + batch.Id;
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.NotEqual(0, checksum);
    }
}
