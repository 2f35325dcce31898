using StaticGraph.Ops;
using Xunit;

namespace StaticGraph.Tests.Nn;

public class ChannelMomentsTests
{
    [Theory]
    [InlineData(new[] { 3, 4, 5, 3 })]
    [InlineData(new[] { 6, 5 })]
    public void Rows_are_the_batch_mean_and_unbiased_variance_per_channel(int[] shape)
    {
        var x = TestValues.Uniform(TestValues.Count(shape), seed: 11, -2, 5);
        var actual = OpRunner.RunF64([shape], [x], (b, i) => b.ChannelMoments(i[0]));
        var (mean, variance) = NaiveReference.ChannelMoments(x, shape, ddof: 1);
        BatchNormTests.AssertClose([.. mean, .. variance], actual, 1e-12);
    }

    [Fact]
    public void The_output_is_two_rows_of_channels()
    {
        var b = new GraphBuilder();
        Assert.Equal(new Shape(2, 3), b.ChannelMoments(b.Input("x", DType.F32, 2, 3, 4, 4)).Shape);
    }

    [Fact]
    public void One_value_per_channel_fails_when_built()
    {
        var b = new GraphBuilder();
        var x = b.Input("x", DType.F32, 1, 3, 1, 1);
        var e = Assert.Throws<GraphBuildException>(() => b.ChannelMoments(x));
        Assert.Contains("channel_moments", e.Message);
        Assert.Contains("f32[1,3,1,1]", e.Message);
        Assert.Contains("at least 2 values per channel", e.Message);
    }

    [Fact]
    public void No_gradient_flows_through_the_statistics()
    {
        var b = new GraphBuilder(DType.F64);
        var x = b.Input("x", DType.F64, 4, 2);
        var grads = Autodiff.Gradients(b.SumAll(b.ChannelMoments(x)), [x]);
        Assert.False(grads.ContainsKey(x));
    }
}
