using StaticGraph.Data;
using Xunit;

namespace StaticGraph.Tests.Data;

public class DeterministicHashTests
{
    [Fact]
    public void NeighbouringCountersGiveUnrelatedValues()
    {
        var values = Enumerable.Range(0, 10000).Select(i => DeterministicHash.Hash(1, 2, 3, (ulong)i)).ToArray();

        Assert.Equal(values.Length, values.Distinct().Count());
        // Each output bit should be set about half the time.
        for (int bit = 0; bit < 64; bit++)
            Assert.InRange(values.Count(v => ((v >> bit) & 1) != 0), 4700, 5300);
    }

    [Fact]
    public void BelowStaysInRangeAndCoversIt()
    {
        var counts = new int[7];
        for (int i = 0; i < 7000; i++)
            counts[DeterministicHash.Below(DeterministicHash.Mix((ulong)i), 7)]++;

        Assert.All(counts, c => Assert.InRange(c, 850, 1150));
        Assert.Equal(0, DeterministicHash.Below(ulong.MaxValue, 1));
        Assert.Equal(6, DeterministicHash.Below(ulong.MaxValue, 7));
        Assert.Throws<ArgumentOutOfRangeException>(() => DeterministicHash.Below(5, 0));
    }

    [Fact]
    public void EveryKeyWordMatters()
    {
        ulong baseline = DeterministicHash.Hash(1, 2, 3, 4);

        Assert.NotEqual(baseline, DeterministicHash.Hash(0, 2, 3, 4));
        Assert.NotEqual(baseline, DeterministicHash.Hash(1, 0, 3, 4));
        Assert.NotEqual(baseline, DeterministicHash.Hash(1, 2, 0, 4));
        Assert.NotEqual(baseline, DeterministicHash.Hash(1, 2, 3, 0));
        Assert.NotEqual(DeterministicHash.Derive(baseline, 0), DeterministicHash.Derive(baseline, 1));
    }
}
