using StaticGraph.Data;
using Xunit;

namespace StaticGraph.Tests.Data;

public class EpochOrderTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(1000)]
    public void IsAPermutation(int count)
    {
        int[] order = EpochOrder.Shuffle(count, seed: 17, epoch: 3);

        Assert.Equal(Enumerable.Range(0, count), order.Order());
    }

    [Fact]
    public void IsAPureFunctionOfSeedAndEpoch()
    {
        Assert.Equal(EpochOrder.Shuffle(500, 17, 3), EpochOrder.Shuffle(500, 17, 3));
        Assert.NotEqual(EpochOrder.Shuffle(500, 17, 3), EpochOrder.Shuffle(500, 17, 4));
        Assert.NotEqual(EpochOrder.Shuffle(500, 17, 3), EpochOrder.Shuffle(500, 18, 3));
        Assert.NotEqual(Enumerable.Range(0, 500), EpochOrder.Shuffle(500, 17, 3));

        var intoSpan = new int[500];
        EpochOrder.Shuffle(intoSpan, 17, 3);
        Assert.Equal(EpochOrder.Shuffle(500, 17, 3), intoSpan);
    }

    [Fact]
    public void EveryElementLandsEverywhereAboutEquallyOften()
    {
        // Over many epochs, element 0 of a 4-element order should be each value about a quarter of the time.
        var firstValueCounts = new int[4];
        for (int epoch = 0; epoch < 8000; epoch++)
            firstValueCounts[EpochOrder.Shuffle(4, 9, epoch)[0]]++;

        Assert.All(firstValueCounts, count => Assert.InRange(count, 1800, 2200));
    }
}
