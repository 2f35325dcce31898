using StaticGraph.Ops;
using Xunit;

namespace StaticGraph.Tests.Random;

/// <summary>Bad attributes fail when the random node is built, naming the op and what was expected.</summary>
public class RandomOpValidationTests
{
    public static TheoryData<string, string> BadNodes => new()
    {
        { "uniform-empty-interval", "expected low < high" },
        { "uniform-i32", "random draws are f32 or f64" },
        { "normal-negative-std", "expected std >= 0" },
        { "bernoulli-p-above-1", "expected a probability p in [0, 1]" },
        { "beta-zero-alpha", "expected alpha > 0 and beta > 0" },
        { "cutout-zero-size", "expected a box side size >= 1" },
        { "cutout-inside-too-big", "cannot lie inside a 10x12 image" },
        { "cutmix-lam-wrong-shape", "expected lam to be f32[4] or f64[4]" },
    };

    [Theory]
    [MemberData(nameof(BadNodes))]
    public void Bad_attributes_fail_at_build_time_with_the_node_name(string kind, string expectation)
    {
        var b = new GraphBuilder(DType.F64);
        var e = Assert.Throws<GraphBuildException>(() => _ = kind switch
        {
            "uniform-empty-interval" => b.Uniform(kind, [3], 1, 1),
            "uniform-i32" => b.Uniform(kind, [3], dtype: DType.I32),
            "normal-negative-std" => b.Normal(kind, [3], 0, -1),
            "bernoulli-p-above-1" => b.Bernoulli(kind, [3], 1.5),
            "beta-zero-alpha" => b.Beta(kind, [3], 0, 1),
            "cutout-zero-size" => b.CutoutBoxes(kind, 4, 10, 12, 0),
            "cutout-inside-too-big" => b.CutoutBoxes(kind, 4, 10, 12, 11, inside: true),
            "cutmix-lam-wrong-shape" => b.CutMixBoxes(kind, b.Input("lam", DType.F64, 4, 1), 10, 12),
            _ => throw new ArgumentException(kind),
        });
        Assert.Contains(expectation, e.Message);
        Assert.Contains($"'{kind}'", e.Message);
    }

    [Fact]
    public void A_random_node_needs_a_name_and_a_name_is_used_once()
    {
        var b = new GraphBuilder();
        Assert.Throws<GraphBuildException>(() => b.Uniform("", [3]));
        b.Uniform("noise", [3]);
        var e = Assert.Throws<GraphBuildException>(() => b.Normal("noise", [3]));
        Assert.Contains("already used", e.Message);
    }

    [Fact]
    public void The_listing_shows_the_attributes_and_the_stream()
    {
        var b = new GraphBuilder();
        var node = b.Uniform("noise", [3], -1, 1);
        var line = GraphPrinter.Line(node);
        Assert.Contains("uniform", line);
        Assert.Contains("low=-1 high=1", line);
        Assert.Contains($"stream={b.StreamOf("noise"):x8}", line);
    }
}
