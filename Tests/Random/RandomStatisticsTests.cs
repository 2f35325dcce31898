using StaticGraph.Backend;
using StaticGraph.Backend.Cpu;
using StaticGraph.Ops;
using Xunit;

namespace StaticGraph.Tests.Random;

/// <summary>
/// The draws have the distributions they claim. Bounds are several standard errors wide, so they
/// hold for any seed while still catching a wrong scale, offset or rate.
/// </summary>
public class RandomStatisticsTests
{
    private const int Samples = 200_000;

    [Fact]
    public void Uniform_f64_has_the_mean_and_variance_of_its_interval_and_stays_inside_it()
    {
        var b = new GraphBuilder(DType.F64);
        var values = RandomDraws.Read<double>(b.Uniform("u", [Samples], -2, 3));
        Assert.All(values, v => Assert.InRange(v, -2, 3 - 1e-12));
        Assert.InRange(RandomDraws.Mean(values), 0.5 - 0.02, 0.5 + 0.02);             // standard error 0.0032
        Assert.InRange(RandomDraws.Variance(values), 25.0 / 12 - 0.03, 25.0 / 12 + 0.03); // standard error 0.0042
    }

    [Fact]
    public void Uniform_f32_fills_ten_bins_evenly_with_multiples_of_2_to_the_minus_24()
    {
        var b = new GraphBuilder(DType.F32);
        var values = RandomDraws.Read<float>(b.Uniform("u", [Samples]));
        Assert.All(values, v => Assert.Equal(Math.Floor(v * 16777216.0), v * 16777216.0));
        var bins = new int[10];
        foreach (var v in values) bins[(int)(v * 10)]++;
        Assert.All(bins, count => Assert.InRange(count, Samples / 10 - 800, Samples / 10 + 800)); // standard deviation 134
        var asDouble = values.Select(v => (double)v).ToArray();
        Assert.InRange(RandomDraws.Mean(asDouble), 0.5 - 0.005, 0.5 + 0.005);
        Assert.InRange(RandomDraws.Variance(asDouble), 1.0 / 12 - 0.003, 1.0 / 12 + 0.003);
    }

    [Theory]
    [InlineData(DType.F32)]
    [InlineData(DType.F64)]
    public void Normal_has_its_mean_and_std_and_the_normal_share_within_one_std(DType dtype)
    {
        var b = new GraphBuilder(dtype);
        var node = b.Normal("n", [Samples], 1.5, 2, dtype);
        var values = dtype == DType.F32
            ? RandomDraws.Read<float>(node).Select(v => (double)v).ToArray()
            : RandomDraws.Read<double>(node);
        Assert.InRange(RandomDraws.Mean(values), 1.5 - 0.03, 1.5 + 0.03);                  // standard error 0.0045
        Assert.InRange(Math.Sqrt(RandomDraws.Variance(values)), 2 - 0.02, 2 + 0.02);       // standard error 0.0032
        var withinOneStd = values.Count(v => Math.Abs(v - 1.5) < 2) / (double)Samples;
        Assert.InRange(withinOneStd, 0.6827 - 0.006, 0.6827 + 0.006);                      // standard error 0.001
    }

    [Theory]
    [InlineData(DType.F32, 0.3)]
    [InlineData(DType.F64, 0.3)]
    [InlineData(DType.F32, 0.9)]
    [InlineData(DType.F64, 0.02)]
    public void Bernoulli_gives_zeros_and_ones_at_rate_p(DType dtype, double p)
    {
        var b = new GraphBuilder(dtype);
        var node = b.Bernoulli("mask", [Samples], p, dtype);
        var values = dtype == DType.F32
            ? RandomDraws.Read<float>(node).Select(v => (double)v).ToArray()
            : RandomDraws.Read<double>(node);
        Assert.All(values, v => Assert.True(v is 0 or 1, $"{v} is not 0 or 1"));
        var tolerance = 6 * Math.Sqrt(p * (1 - p) / Samples);
        Assert.InRange(values.Average(), p - tolerance, p + tolerance);
    }

    [Fact]
    public void Bernoulli_with_p_0_or_1_is_constant()
    {
        var b = new GraphBuilder(DType.F64);
        Assert.All(RandomDraws.Read<double>(b.Bernoulli("never", [10_000], 0)), v => Assert.Equal(0, v));
        Assert.All(RandomDraws.Read<double>(b.Bernoulli("always", [10_000], 1)), v => Assert.Equal(1, v));
    }

    [Theory]
    [InlineData(1.0, 1.0)]
    [InlineData(0.2, 0.2)]   // Mixup's usual Beta(a, a) with a < 1: mass piled at both ends
    [InlineData(0.5, 2.0)]
    [InlineData(2.0, 5.0)]
    [InlineData(0.7, 0.3)]
    [InlineData(30.0, 10.0)]
    public void Beta_has_mean_a_over_a_plus_b_and_its_variance(double alpha, double beta)
    {
        var b = new GraphBuilder(DType.F64);
        var values = RandomDraws.Read<double>(b.Beta("lam", [100_000], alpha, beta));
        Assert.All(values, v => Assert.InRange(v, 0, 1));
        var mean = alpha / (alpha + beta);
        var variance = alpha * beta / ((alpha + beta) * (alpha + beta) * (alpha + beta + 1));
        Assert.InRange(RandomDraws.Mean(values), mean - 0.01, mean + 0.01);                        // standard error at most 0.0016
        Assert.InRange(RandomDraws.Variance(values), variance * 0.92, variance * 1.08);
    }

    [Fact]
    public void Beta_with_tiny_shapes_stays_finite_where_the_gammas_underflow()
    {
        // Gamma(0.01) is below 1e-300 a good part of the time: X / (X + Y) would be 0/0 outside logarithms.
        var b = new GraphBuilder(DType.F32);
        var values = RandomDraws.Read<float>(b.Beta("lam", [20_000], 0.01, 0.01));
        Assert.All(values, v => Assert.InRange(v, 0f, 1f));
        Assert.InRange(values.Average(v => (double)v), 0.5 - 0.03, 0.5 + 0.03);
        // Near its ends Beta(e, e) has P(X < t) ~ t^e / (e B(e, e)), and e B(e, e) ~ 2: so a share of
        // about (1e-6)^0.01 = 0.871 lies within 1e-6 of 0 or 1 (standard error 0.0024).
        Assert.InRange(values.Count(v => v < 1e-6 || v > 1 - 1e-6) / (double)values.Length, 0.871 - 0.02, 0.871 + 0.02);
    }

    [Fact]
    public void Permutation_is_a_permutation_and_changes_with_the_step()
    {
        var b = new GraphBuilder();
        var node = b.Permutation("order", 1000);
        var first = RandomDraws.Read<int>(node, step: 0);
        var second = RandomDraws.Read<int>(node, step: 1);
        Assert.Equal(Enumerable.Range(0, 1000), first.Order());
        Assert.Equal(Enumerable.Range(0, 1000), second.Order());
        Assert.NotEqual(first, second);
        // A uniform permutation leaves about one element in place.
        Assert.InRange(first.Where((v, i) => v == i).Count(), 0, 8);
        Assert.Equal(new[] { 0 }, RandomDraws.Read<int>(b.Permutation("single", 1)));
    }

    [Fact]
    public void Permutation_puts_every_element_first_equally_often_across_steps()
    {
        const int n = 5, steps = 5000;
        var b = new GraphBuilder();
        var node = b.Permutation("order", n);
        using var run = RandomDraws.Compile(node, threads: 1);
        var firstCounts = new int[n];
        var lastCounts = new int[n];
        for (var step = 0; step < steps; step++)
        {
            run.Step = step;
            run.Run();
            var perm = run.Read<int>(node);
            firstCounts[perm[0]]++;
            lastCounts[perm[^1]]++;
        }
        // Expected 1000 each, standard deviation 28.
        Assert.All(firstCounts, c => Assert.InRange(c, 850, 1150));
        Assert.All(lastCounts, c => Assert.InRange(c, 850, 1150));
    }

    [Fact]
    public void Cutout_boxes_lie_in_the_image_are_full_size_away_from_its_edges_and_centre_anywhere()
    {
        const int count = 4000, h = 32, w = 28, size = 16;
        var b = new GraphBuilder();
        var boxes = RandomDraws.Read<int>(b.CutoutBoxes("cutout", count, h, w, size));
        var fullHeight = 0;
        for (var r = 0; r < count; r++)
        {
            var (y0, x0, y1, x1) = (boxes[4 * r], boxes[4 * r + 1], boxes[4 * r + 2], boxes[4 * r + 3]);
            Assert.InRange(y0, 0, h - 1);
            Assert.InRange(x0, 0, w - 1);
            Assert.InRange(y1, y0 + 1, Math.Min(y0 + size, h));
            Assert.InRange(x1, x0 + 1, Math.Min(x0 + size, w));
            // Clipping only shortens a box that touches an edge.
            if (y0 > 0 && y1 < h) Assert.Equal(size, y1 - y0);
            if (x0 > 0 && x1 < w) Assert.Equal(size, x1 - x0);
            if (y1 - y0 == size) fullHeight++;
        }
        // cy uniform on 0..31 keeps the full height for cy in 8..24: 17 of 32 centres.
        Assert.InRange(fullHeight / (double)count, 17.0 / 32 - 0.05, 17.0 / 32 + 0.05);
        // Centres reach the corners: some boxes start at the top edge, some end at the bottom.
        Assert.Contains(Enumerable.Range(0, count), r => boxes[4 * r] == 0);
        Assert.Contains(Enumerable.Range(0, count), r => boxes[4 * r + 2] == h);
    }

    [Fact]
    public void Cutout_boxes_inside_the_image_have_the_full_size_and_cover_every_position()
    {
        const int count = 4000, h = 24, w = 20, size = 8;
        var b = new GraphBuilder();
        var boxes = RandomDraws.Read<int>(b.CutoutBoxes("cutout", count, h, w, size, inside: true));
        var tops = new HashSet<int>();
        var lefts = new HashSet<int>();
        for (var r = 0; r < count; r++)
        {
            var (y0, x0, y1, x1) = (boxes[4 * r], boxes[4 * r + 1], boxes[4 * r + 2], boxes[4 * r + 3]);
            Assert.InRange(y0, 0, h - size);
            Assert.InRange(x0, 0, w - size);
            Assert.Equal(size, y1 - y0);
            Assert.Equal(size, x1 - x0);
            tops.Add(y0);
            lefts.Add(x0);
        }
        Assert.Equal(h - size + 1, tops.Count);
        Assert.Equal(w - size + 1, lefts.Count);
    }

    [Fact]
    public void CutMix_boxes_have_sides_sqrt_1_minus_lam_of_the_image_clipped_to_it()
    {
        const int count = 3000, h = 32, w = 32;
        var b = new GraphBuilder(DType.F64);
        var lam = b.Beta("lam", [count], 1, 1);
        var boxesNode = b.CutMixBoxes("box", lam, h, w);
        using var run = CpuBackend.Instance.Compile(GraphProgram.Inference(boxesNode, lam), new CompileOptions(Seed: 7, Threads: 2));
        run.Step = 9;
        run.Run();
        var lams = run.Read<double>(lam);
        var boxes = run.Read<int>(boxesNode);
        double areaFraction = 0;
        for (var r = 0; r < count; r++)
        {
            var (y0, x0, y1, x1) = (boxes[4 * r], boxes[4 * r + 1], boxes[4 * r + 2], boxes[4 * r + 3]);
            var side = (int)Math.Floor(h * Math.Sqrt(1 - lams[r]));
            Assert.InRange(y0, 0, h);
            Assert.InRange(x0, 0, w);
            Assert.InRange(y1 - y0, 0, side);
            Assert.InRange(x1 - x0, 0, side);
            if (y0 > 0 && y1 < h) Assert.Equal(side, y1 - y0);
            if (x0 > 0 && x1 < w) Assert.Equal(side, x1 - x0);
            areaFraction += (y1 - y0) * (x1 - x0) / (double)(h * w);
        }
        // Unclipped, the mean area fraction would be E[1 - lam] = 0.5 less the floor's loss; clipping takes more.
        Assert.InRange(areaFraction / count, 0.2, 0.5);
    }

    [Fact]
    public void CutMix_boxes_are_empty_at_lam_1_and_read_nan_as_1()
    {
        var b = new GraphBuilder(DType.F64);
        var lam = b.Constant([1, double.NaN, 0.999], DType.F64, 3);
        var boxes = RandomDraws.Read<int>(b.CutMixBoxes("box", lam, 16, 16));
        for (var r = 0; r < 3; r++)
        {
            Assert.Equal(boxes[4 * r], boxes[4 * r + 2]);
            Assert.Equal(boxes[4 * r + 1], boxes[4 * r + 3]);
        }
    }
}
