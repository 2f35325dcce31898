using StaticGraph.Ops;
using StaticGraph.Random;
using Xunit;

namespace StaticGraph.Tests.Random;

/// <summary>
/// Each op follows the bit recipe documented on it, re-derived here from Philox and the counter
/// layout alone: the specification a GPU kernel has to match.
/// </summary>
public class RandomRecipeTests
{
    private const ulong Seed = 0x1234_5678_9abc_def0;
    private const long Step = 5;

    private static (uint X0, uint X1, uint X2, uint X3) Block(string qualifiedName, uint element, uint draw = 0) =>
        RandomStream.Bits(Seed, element, draw, StableHash.Fnv1a(qualifiedName), (uint)Step);

    [Fact]
    public void Uniform_f32_on_0_1_is_exactly_the_top_24_bits_of_word_0()
    {
        var b = new GraphBuilder();
        var u = b.Uniform("u", [1000], dtype: DType.F32);
        var values = RandomDraws.Read<float>(u, Seed, Step);
        for (var i = 0u; i < values.Length; i++)
            Assert.Equal((Block("u", i).X0 >> 8) / 16777216f, values[i]);
    }

    [Fact]
    public void Uniform_is_fma_of_the_span_the_uniform_and_low_in_double()
    {
        var b = new GraphBuilder();
        var f32 = b.Uniform("f32", [1000], -0.3, 1.7, DType.F32);
        var f64 = b.Uniform("f64", [1000], -0.3, 1.7, DType.F64);
        var values32 = RandomDraws.Read<float>(f32, Seed, Step);
        var values64 = RandomDraws.Read<double>(f64, Seed, Step);
        for (var i = 0u; i < 1000; i++)
        {
            var w32 = Block("f32", i);
            var w64 = Block("f64", i);
            var u32 = (w32.X0 >> 8) * Math.Pow(2, -24);
            var u64 = ((((ulong)w64.X0 << 32) | w64.X1) >> 11) * Math.Pow(2, -53);
            Assert.Equal((float)Math.FusedMultiplyAdd(1.7 - -0.3, u32, -0.3), values32[i]);
            Assert.Equal(Math.FusedMultiplyAdd(1.7 - -0.3, u64, -0.3), values64[i]);
        }
    }

    [Fact]
    public void Normal_is_Box_Muller_of_the_elements_block_at_draw_0()
    {
        var b = new GraphBuilder();
        var f64 = b.Normal("f64", [1000], 1.5, 0.25, DType.F64);
        var f32 = b.Normal("f32", [1000], 1.5, 0.25, DType.F32);
        var values64 = RandomDraws.Read<double>(f64, Seed, Step);
        var values32 = RandomDraws.Read<float>(f32, Seed, Step);
        for (var i = 0u; i < 1000; i++)
        {
            Assert.Equal(Math.FusedMultiplyAdd(0.25, RandomStream.Normal(Block("f64", i)), 1.5), values64[i]);
            Assert.Equal((float)Math.FusedMultiplyAdd(0.25, RandomStream.Normal(Block("f32", i)), 1.5), values32[i]);
        }
    }

    [Fact]
    public void Bernoulli_compares_the_dtypes_uniform_with_p()
    {
        var b = new GraphBuilder();
        var f32 = b.Bernoulli("f32", [1000], 0.3, DType.F32);
        var f64 = b.Bernoulli("f64", [1000], 0.3, DType.F64);
        var values32 = RandomDraws.Read<float>(f32, Seed, Step);
        var values64 = RandomDraws.Read<double>(f64, Seed, Step);
        for (var i = 0u; i < 1000; i++)
        {
            var w32 = Block("f32", i);
            var w64 = Block("f64", i);
            Assert.Equal(RandomStream.UniformF32(w32.X0) < 0.3 ? 1f : 0f, values32[i]);
            Assert.Equal(RandomStream.UniformF64(w64.X0, w64.X1) < 0.3 ? 1.0 : 0.0, values64[i]);
        }
    }

    [Theory]
    [InlineData(0.3, 2.0)]
    [InlineData(1.0, 1.0)]
    [InlineData(4.0, 0.7)]
    public void Beta_is_two_Marsaglia_Tsang_gammas_on_draws_0_and_64(double alpha, double beta)
    {
        var b = new GraphBuilder();
        var lam = b.Beta("lam", [2000], alpha, beta, DType.F64);
        var values = RandomDraws.Read<double>(lam, Seed, Step);
        for (var i = 0u; i < values.Length; i++)
        {
            var logX = ReferenceLogGamma(alpha, i, 0);
            var logY = ReferenceLogGamma(beta, i, 64);
            Assert.Equal(1.0 / (1.0 + Math.Exp(logY - logX)), values[i]);
        }

        // The specification, written out once more from the op's documentation.
        static double ReferenceLogGamma(double a, uint element, uint firstDraw)
        {
            var shape = a < 1 ? a + 1 : a;
            var d = shape - 1.0 / 3.0;
            var c = 1.0 / Math.Sqrt(9.0 * d);
            for (uint k = 0; k < 64; k++)
            {
                var w = Block("lam", element, firstDraw + k);
                var x = Math.Sqrt(-2.0 * Math.Log((w.X0 + 1.0) * Math.Pow(2, -32))) * Math.Cos(2.0 * Math.PI * (w.X1 * Math.Pow(2, -32)));
                var t = 1.0 + c * x;
                var v = t * t * t;
                if (v <= 0) continue;
                var u = (w.X2 + 0.5) * Math.Pow(2, -32);
                if (u < 1.0 - 0.0331 * ((x * x) * (x * x)) || Math.Log(u) < 0.5 * (x * x) + d * ((1.0 - v) + Math.Log(v)))
                    return Math.Log(d * v) + (a < 1 ? Math.Log((w.X3 + 0.5) * Math.Pow(2, -32)) / a : 0);
            }
            throw new InvalidOperationException("64 rejections in a row: the test's draws are unlucky beyond belief");
        }
    }

    [Fact]
    public void Permutation_is_Fisher_Yates_with_a_64_bit_multiply_high_per_swap()
    {
        var b = new GraphBuilder();
        var perm = b.Permutation("perm", 777);
        var expected = Enumerable.Range(0, 777).ToArray();
        for (var i = 776; i >= 1; i--)
        {
            var w = Block("perm", (uint)i);
            var j = (int)(((UInt128)((((ulong)w.X0) << 32) | w.X1) * (ulong)(i + 1)) >> 64);
            (expected[i], expected[j]) = (expected[j], expected[i]);
        }
        Assert.Equal(expected, RandomDraws.Read<int>(perm, Seed, Step));
    }

    [Fact]
    public void Cutout_boxes_centre_on_multiply_high_picks_of_words_0_and_1()
    {
        const int h = 30, w = 20, size = 9;
        var b = new GraphBuilder();
        var anywhere = b.CutoutBoxes("anywhere", 300, h, w, size);
        var inside = b.CutoutBoxes("inside", 300, h, w, size, inside: true);
        var boxesAnywhere = RandomDraws.Read<int>(anywhere, Seed, Step);
        var boxesInside = RandomDraws.Read<int>(inside, Seed, Step);
        for (var r = 0; r < 300; r++)
        {
            var bits = Block("anywhere", (uint)r);
            var cy = (int)(((ulong)bits.X0 * h) >> 32);
            var cx = (int)(((ulong)bits.X1 * w) >> 32);
            int[] expected = [Math.Max(cy - size / 2, 0), Math.Max(cx - size / 2, 0), Math.Min(cy - size / 2 + size, h), Math.Min(cx - size / 2 + size, w)];
            Assert.Equal(expected, boxesAnywhere[(4 * r)..(4 * r + 4)]);

            bits = Block("inside", (uint)r);
            var y0 = (int)(((ulong)bits.X0 * (h - size + 1)) >> 32);
            var x0 = (int)(((ulong)bits.X1 * (w - size + 1)) >> 32);
            Assert.Equal(new[] { y0, x0, y0 + size, x0 + size }, boxesInside[(4 * r)..(4 * r + 4)]);
        }
    }

    [Fact]
    public void CutMix_boxes_have_sides_floor_of_sqrt_1_minus_lam_times_the_image()
    {
        const int h = 32, w = 24, count = 200;
        var b = new GraphBuilder();
        var lam = b.Input("lam", DType.F32, count);
        var boxes = b.CutMixBoxes("box", lam, h, w);
        var lams = Enumerable.Range(0, count).Select(i => (float)(i / (count - 1.0))).ToArray();
        var values = RandomDraws.Read<int>(boxes, Seed, Step, feed: run => run.SetInput<float>("lam", lams));
        for (var r = 0; r < count; r++)
        {
            var bits = Block("box", (uint)r);
            var ratio = Math.Sqrt(1 - (double)lams[r]);
            int sh = (int)Math.Floor(h * ratio), sw = (int)Math.Floor(w * ratio);
            var y0 = (int)(((ulong)bits.X0 * h) >> 32) - sh / 2;
            var x0 = (int)(((ulong)bits.X1 * w) >> 32) - sw / 2;
            int[] expected = [Math.Clamp(y0, 0, h), Math.Clamp(x0, 0, w), Math.Clamp(y0 + sh, 0, h), Math.Clamp(x0 + sw, 0, w)];
            Assert.Equal(expected, values[(4 * r)..(4 * r + 4)]);
        }
    }
}
