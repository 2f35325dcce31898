using StaticGraph.Conformance;
using StaticGraph.Ops;
using StaticGraph.Regularizers;
using Xunit;

namespace StaticGraph.Tests.Regularizers;

public class ShakeShakeTests
{
    private static readonly int[] Dims = [4, 3, 2, 2];
    private const int PerImage = 12;

    public static TheoryData<ShakeMode, ShakeMode, ShakeLevel> Table1
    {
        get
        {
            var data = new TheoryData<ShakeMode, ShakeMode, ShakeLevel>();
            foreach (var f in new[] { ShakeMode.Shake, ShakeMode.Even })
                foreach (var bw in new[] { ShakeMode.Shake, ShakeMode.Even, ShakeMode.Keep })
                    foreach (var level in new[] { ShakeLevel.Batch, ShakeLevel.Image })
                        data.Add(f, bw, level);
            return data;
        }
    }

    /// <summary>Per element, the coefficient a node of per-batch or per-image draws gives (or a constant).</summary>
    private static double[] Coefficient(double[]? draws, double constant, int count) =>
        Enumerable.Range(0, count).Select(i => draws is null ? constant : draws.Length == 1 ? draws[0] : draws[i / PerImage]).ToArray();

    [Theory]
    [MemberData(nameof(Table1))]
    public void Gradient_uses_the_backward_coefficient_while_the_forward_uses_alpha(ShakeMode forward, ShakeMode backward, ShakeLevel level)
    {
        var options = new ShakeOptions(forward, backward, level);
        var names = new List<string>();
        var problem = Runs.Problem("shake-shake", (b, x) => ShakeShake.Combine(b, x[0], x[1], options), [Dims, Dims], [Runs.Normal(1, 48), Runs.Normal(2, 48)]) with
        {
            Extra = b =>
            {
                var draws = b.Nodes.Where(n => n.Op is UniformOp).ToArray();
                names.AddRange(draws.Select(n => n.Name!));
                return draws;
            },
        };
        var report = GradientChecker.Differentiate(problem);
        var (analytic, numeric, weights) = (report.Analytic, report.Numeric, report.Weights[0]);
        double[]? Draw(string local) => names.IndexOf("shake." + local) is var i and >= 0 ? report.Extra[i] : null;

        var alpha = Coefficient(Draw("alpha"), 0.5, 48);
        var beta = backward == ShakeMode.Keep ? alpha : Coefficient(Draw("beta"), 0.5, 48);
        Assert.Equal(level == ShakeLevel.Image && forward == ShakeMode.Shake ? 4 : forward == ShakeMode.Shake ? 1 : 0, Draw("alpha")?.Length ?? 0);
        for (var i = 0; i < 48; i++)
        {
            // Autodiff: beta * r and (1 - beta) * r. Central differences of the forward: alpha * r.
            Assert.Equal(beta[i] * weights[i], analytic[0][i], 12);
            Assert.Equal((1 - beta[i]) * weights[i], analytic[1][i], 12);
            Runs.Near(alpha[i] * weights[i], numeric[0][i], 1e-7, $"central difference {i} of branch 1");
            Runs.Near((1 - alpha[i]) * weights[i], numeric[1][i], 1e-7, $"central difference {i} of branch 2");
        }
        if (backward == ShakeMode.Shake || (forward, backward) == (ShakeMode.Shake, ShakeMode.Even))
        {
            // Shown: the gradient is not the forward function's derivative.
            var gap = analytic[0].Zip(numeric[0], (a, n) => Math.Abs(a - n)).Max();
            Assert.True(gap > 1e-2, $"the gradient should differ from the forward's derivative, the largest gap is {gap:E2}");
        }
        else
        {
            GradientChecker.Agree("d loss / d branch1", numeric[0], analytic[0]);
            GradientChecker.Agree("d loss / d branch2", numeric[1], analytic[1]);
        }
    }

    [Fact]
    public void Forward_is_the_alpha_blend_and_inference_the_even_blend()
    {
        var b = new GraphBuilder(DType.F64);
        var (v1, v2) = (Runs.Normal(3, 48), Runs.Normal(4, 48));
        var x1 = b.Constant(v1, DType.F64, Dims);
        var x2 = b.Constant(v2, DType.F64, Dims);
        var y = ShakeShake.Combine(b, x1, x2, new ShakeOptions());
        var alpha = Runs.Named(b, "shake.alpha");
        var values = Runs.Values(ProgramMode.Training, [y, alpha]);
        for (var i = 0; i < 48; i++)
        {
            var a = values[1][i / PerImage];
            Assert.Equal(a * v1[i] + (1 - a) * v2[i], values[0][i], 12);
        }
        Assert.Equal(v1.Zip(v2, (p, q) => 0.5 * (p + q)).ToArray(), Runs.Value(ProgramMode.Inference, y));
        Assert.DoesNotContain(GraphProgram.Inference(y).Nodes, n => n.Op is RandomOp || n.Op is StopGradientOp);
    }

    [Fact]
    public void Inference_is_the_monte_carlo_mean_of_training()
    {
        var b = new GraphBuilder(DType.F64);
        var (v1, v2) = (Runs.Normal(5, 48), Runs.Normal(6, 48));
        var y = ShakeShake.Combine(b, b.Constant(v1, DType.F64, Dims), b.Constant(v2, DType.F64, Dims), new ShakeOptions());
        const int steps = 400;
        var (mean, inference) = Runs.MonteCarlo(y, steps);
        // a ~ U[0, 1): sd(a b1 + (1-a) b2) = |b1 - b2| / sqrt(12).
        Runs.AssertWithinBound(mean, inference, v1.Zip(v2, (p, q) => Math.Abs(p - q) / Math.Sqrt(12)).ToArray(), steps, "shake-shake");
    }

    [Fact]
    public void Forward_keep_is_refused_with_a_clear_message()
    {
        var b = new GraphBuilder(DType.F64);
        var x = b.Input("x", DType.F64, Dims);
        var e = Assert.Throws<ArgumentException>(() => ShakeShake.Combine(b, x, x, new ShakeOptions(ShakeMode.Keep, ShakeMode.Shake)));
        Assert.Contains("Keep-Shake-Image", e.Message);
        Assert.Contains("forward coefficient cannot be Keep", e.Message);
    }

    [Fact]
    public void Branches_of_different_types_are_refused_naming_both()
    {
        var b = new GraphBuilder(DType.F64);
        var e = Assert.Throws<GraphBuildException>(() => ShakeShake.Combine(b, b.Input("x", DType.F64, Dims), b.Input("y", DType.F64, 4, 3, 2, 1), new ShakeOptions()));
        Assert.Contains("f64[4,3,2,2]", e.Message);
        Assert.Contains("f64[4,3,2,1]", e.Message);
        Assert.Contains("one type", e.Message);
    }

    [Theory]
    [InlineData("S-S-I", ShakeMode.Shake, ShakeMode.Shake, ShakeLevel.Image)]
    [InlineData("shake-keep-batch", ShakeMode.Shake, ShakeMode.Keep, ShakeLevel.Batch)]
    [InlineData("Even-Even-Batch", ShakeMode.Even, ShakeMode.Even, ShakeLevel.Batch)]
    public void Options_parse_the_papers_names(string text, ShakeMode forward, ShakeMode backward, ShakeLevel level)
    {
        var options = ShakeOptions.Parse(text);
        Assert.Equal(new ShakeOptions(forward, backward, level), options);
        Assert.Equal(options, ShakeOptions.Parse(options.Name));
    }

    [Theory]
    [InlineData("K-S-I", "cannot be Keep")]
    [InlineData("S-S", "forward-backward-level")]
    [InlineData("S-X-I", "'X' is not a shake mode")]
    public void Bad_option_names_fail_clearly(string text, string message) =>
        Assert.Contains(message, Assert.Throws<FormatException>(() => ShakeOptions.Parse(text)).Message);

    [Fact]
    public void Two_uses_draw_from_distinct_scopes()
    {
        var b = new GraphBuilder(DType.F64);
        var x = b.Input("x", DType.F64, Dims);
        ShakeShake.Combine(b, x, x, new ShakeOptions());
        ShakeShake.Combine(b, x, x, new ShakeOptions());
        Assert.Equal(["shake.alpha", "shake.beta", "shake_1.alpha", "shake_1.beta"], b.Nodes.Where(n => n.Op is RandomOp).Select(n => n.Name!));
    }
}
