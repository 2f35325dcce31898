using StaticGraph.Conformance;
using StaticGraph.Ops;
using StaticGraph.Regularizers;
using Xunit;

namespace StaticGraph.Tests.Regularizers;

/// <summary>ShakeDrop and stochastic depth: per-image gates on a residual branch.</summary>
public class ResidualDropTests
{
    private static readonly int[] Dims = [8, 2, 2, 2];
    private const int PerImage = 8, Count = 64;

    [Fact]
    public void Shakedrop_gradient_uses_beta_while_the_forward_uses_alpha()
    {
        var report = GradientChecker.Differentiate(Runs.Problem("shakedrop", (b, x) => ShakeDrop.Apply(b, x[0], 0.5), [Dims], [Runs.Normal(1, Count)]) with
        {
            Extra = b => [Runs.Named(b, "shakedrop.gate"), Runs.Named(b, "shakedrop.alpha"), Runs.Named(b, "shakedrop.beta")],
        });
        var (analytic, numeric, weights) = (report.Analytic, report.Numeric, report.Weights[0]);
        var (gate, alpha, beta) = (report.Extra[0], report.Extra[1], report.Extra[2]);
        Assert.Contains(0.0, gate);
        Assert.Contains(1.0, gate);
        for (var i = 0; i < Count; i++)
        {
            var n = i / PerImage;
            var forward = gate[n] + alpha[n] - gate[n] * alpha[n];
            var backward = gate[n] + beta[n] - gate[n] * beta[n];
            Assert.Equal(backward * weights[i], analytic[0][i], 12);
            Runs.Near(forward * weights[i], numeric[0][i], 1e-7, $"central difference {i}");
        }
        Assert.True(analytic[0].Zip(numeric[0], (a, b) => Math.Abs(a - b)).Max() > 1e-2, "the closed gates' gradients should differ from the forward's derivative");
    }

    [Fact]
    public void Shakedrop_forward_is_the_residual_where_the_gate_is_open_and_alpha_times_it_where_closed()
    {
        var b = new GraphBuilder(DType.F64);
        var v = Runs.Normal(2, Count);
        var y = ShakeDrop.Apply(b, b.Constant(v, DType.F64, Dims), 0.5);
        var values = Runs.Values(ProgramMode.Training, [y, Runs.Named(b, "shakedrop.gate"), Runs.Named(b, "shakedrop.alpha")]);
        for (var i = 0; i < Count; i++)
        {
            var n = i / PerImage;
            Assert.Equal(values[1][n] == 1 ? v[i] : values[2][n] * v[i], values[0][i], 14);
        }
        Assert.Equal(v.Select(x => 0.5 * x).ToArray(), Runs.Value(ProgramMode.Inference, y));
    }

    [Theory]
    [InlineData(0.5)]
    [InlineData(0.9)]
    public void Shakedrop_inference_is_the_monte_carlo_mean(double p)
    {
        var b = new GraphBuilder(DType.F64);
        var v = Runs.Normal(3, Count);
        var y = ShakeDrop.Apply(b, b.Constant(v, DType.F64, Dims), p);
        const int steps = 400;
        var (mean, inference) = Runs.MonteCarlo(y, steps);
        // c = 1 with probability p, else U[-1, 1]: E c = p, E c^2 = p + (1 - p) / 3.
        var sd = Math.Sqrt(p + (1 - p) / 3 - p * p);
        Runs.AssertWithinBound(mean, inference, v.Select(x => Math.Abs(x) * sd).ToArray(), steps, "shakedrop");
    }

    [Fact]
    public void Stochastic_depth_keeps_or_drops_whole_images_and_its_gradient_matches_central_differences()
    {
        Runs.CheckGradients((b, x) => StochasticDepth.Apply(b, x[0], 0.5), [Dims]);
        var b = new GraphBuilder(DType.F64);
        var v = Runs.AwayFromZero(4, Count);
        var y = StochasticDepth.Apply(b, b.Constant(v, DType.F64, Dims), 0.5);
        var values = Runs.Values(ProgramMode.Training, [y, Runs.Named(b, "stochastic_depth.gate")]);
        for (var i = 0; i < Count; i++) Assert.Equal(values[1][i / PerImage] * v[i], values[0][i]);
        Assert.Contains(0.0, values[1]);
        Assert.Contains(1.0, values[1]);
        Assert.Equal(v.Select(x => 0.5 * x).ToArray(), Runs.Value(ProgramMode.Inference, y));
    }

    [Fact]
    public void Stochastic_depth_inference_is_the_monte_carlo_mean()
    {
        var b = new GraphBuilder(DType.F64);
        var v = Runs.Normal(5, Count);
        var y = StochasticDepth.Apply(b, b.Constant(v, DType.F64, Dims), 0.7);
        const int steps = 400;
        var (mean, inference) = Runs.MonteCarlo(y, steps);
        Runs.AssertWithinBound(mean, inference, v.Select(x => Math.Abs(x) * Math.Sqrt(0.7 * 0.3)).ToArray(), steps, "stochastic depth");
    }

    [Fact]
    public void Linear_survival_decays_from_nearly_one_to_the_final_probability()
    {
        Assert.Equal(1 - 1.0 / 10 * 0.5, ShakeDrop.LinearSurvival(0, 10), 15);
        Assert.Equal(0.5, ShakeDrop.LinearSurvival(9, 10), 15);
        Assert.Equal(1 - 5.0 / 54 * 0.5, StochasticDepth.LinearSurvival(4, 54), 15);
        Assert.Equal(0.2, StochasticDepth.LinearSurvival(2, 3, 0.2), 15);
        var all = Enumerable.Range(0, 20).Select(i => ShakeDrop.LinearSurvival(i, 20)).ToArray();
        Assert.True(all.Zip(all.Skip(1), (a, c) => a > c).All(x => x));
        Assert.Contains("outside [0, 3)", Assert.Throws<ArgumentOutOfRangeException>(() => ShakeDrop.LinearSurvival(3, 3)).Message);
        Assert.Contains("[0, 1]", Assert.Throws<ArgumentOutOfRangeException>(() => StochasticDepth.LinearSurvival(0, 3, 1.5)).Message);
    }

    [Fact]
    public void Probabilities_outside_zero_to_one_are_refused()
    {
        var b = new GraphBuilder(DType.F64);
        var x = b.Input("x", DType.F64, Dims);
        Assert.Contains("shakedrop 'shakedrop'", Assert.Throws<ArgumentOutOfRangeException>(() => ShakeDrop.Apply(b, x, 1.2)).Message);
        Assert.Contains("stochastic depth", Assert.Throws<ArgumentOutOfRangeException>(() => StochasticDepth.Apply(b, x, -0.1)).Message);
        Assert.Contains("i32[8]", Assert.Throws<GraphBuildException>(() => ShakeDrop.Apply(b, b.Input("labels", DType.I32, 8), 0.5)).Message);
    }
}
