using StaticGraph.Cuda.Lowering;
using Xunit;

namespace StaticGraph.Tests.Cuda;

/// <summary>A loss-scale policy resumed from a checkpoint's (scale, good steps) continues exactly as the uninterrupted one.</summary>
public class DynamicLossScaleResumeTests
{
    [Fact]
    public void A_resumed_policy_makes_the_same_decisions_as_the_uninterrupted_one()
    {
        var outcomes = Enumerable.Range(0, 60).Select(i => i % 17 == 3).ToArray();
        var whole = new DynamicLossScale(1024, growthInterval: 5);
        var first = new DynamicLossScale(1024, growthInterval: 5);
        for (var i = 0; i < 23; i++) first.Update(outcomes[i]);
        var resumed = DynamicLossScale.Resume(first.Scale, first.GoodSteps, growthInterval: 5);
        for (var i = 0; i < 23; i++) whole.Update(outcomes[i]);
        for (var i = 23; i < outcomes.Length; i++)
        {
            Assert.Equal(whole.Update(outcomes[i]), resumed.Update(outcomes[i]));
            Assert.Equal(whole.Scale, resumed.Scale);
        }
    }

    [Fact]
    public void Resuming_refuses_what_no_policy_could_have_saved()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => DynamicLossScale.Resume(3, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => DynamicLossScale.Resume(1024, -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => DynamicLossScale.Resume(1024, 2000));
    }
}
