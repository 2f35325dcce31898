using StaticGraph.Ops;
using StaticGraph.Regularizers;
using Xunit;

namespace StaticGraph.Tests.Regularizers;

/// <summary>Dropout and Drop-Activation: per-element draws.</summary>
public class ActivationRegularizerTests
{
    private static readonly int[] Dims = [4, 3, 5, 5];
    private const int Count = 300;

    [Fact]
    public void Dropout_gradient_matches_central_differences() =>
        Runs.CheckGradients((b, x) => Dropout.Apply(b, x[0], 0.3), [[3, 4, 2, 2]]);

    [Fact]
    public void Drop_activation_gradient_matches_central_differences() =>
        Runs.CheckGradients((b, x) => DropActivation.Apply(b, x[0], 0.4), [[3, 4, 2, 2]], [Runs.AwayFromZero(1, 48)]);

    [Fact]
    public void Inverted_dropout_zeroes_a_fraction_p_scales_the_rest_and_keeps_the_expected_value()
    {
        var b = new GraphBuilder(DType.F64);
        var ones = b.Fill(1, DType.F64, 100, 100);
        var y = Dropout.Apply(b, ones, 0.25);
        var values = Runs.Value(ProgramMode.Training, y);
        Assert.All(values, v => Assert.True(v == 0 || v == 1 / 0.75, $"{v} is neither 0 nor 1/(1-p)"));
        var zeros = values.Count(v => v == 0) / 10000.0;
        Assert.InRange(zeros, 0.25 - 5 * Math.Sqrt(0.25 * 0.75 / 10000), 0.25 + 5 * Math.Sqrt(0.25 * 0.75 / 10000));
        // Inverted dropout: the mean stays 1 (sd of one element sqrt(p / (1 - p))).
        Assert.InRange(values.Average(), 1 - 5 * Math.Sqrt(0.25 / 0.75 / 10000), 1 + 5 * Math.Sqrt(0.25 / 0.75 / 10000));
        Assert.All(Runs.Value(ProgramMode.Inference, y), v => Assert.Equal(1, v));
    }

    [Fact]
    public void Dropout_inference_is_the_monte_carlo_mean()
    {
        var b = new GraphBuilder(DType.F64);
        var v = Runs.Normal(2, Count);
        var y = Dropout.Apply(b, b.Constant(v, DType.F64, Dims), 0.5);
        const int steps = 400;
        var (mean, inference) = Runs.MonteCarlo(y, steps);
        Assert.Equal(v, inference);
        Runs.AssertWithinBound(mean, inference, v.Select(x => Math.Abs(x)).ToArray(), steps, "dropout");
    }

    [Fact]
    public void Drop_activation_is_identity_or_relu_per_element_and_its_inference_the_monte_carlo_mean()
    {
        var b = new GraphBuilder(DType.F64);
        var v = Runs.AwayFromZero(3, Count);
        var y = DropActivation.Apply(b, b.Constant(v, DType.F64, Dims), 0.3);
        var values = Runs.Values(ProgramMode.Training, [y, Runs.Named(b, "drop_activation.mask")]);
        for (var i = 0; i < Count; i++) Assert.Equal(values[1][i] == 1 ? v[i] : Math.Max(v[i], 0), values[0][i]);
        Runs.Close(v.Select(x => 0.3 * x + 0.7 * Math.Max(x, 0)).ToArray(), Runs.Value(ProgramMode.Inference, y), 15);
        const int steps = 400;
        var (mean, inference) = Runs.MonteCarlo(y, steps);
        Runs.AssertWithinBound(mean, inference, v.Select(x => x < 0 ? -x * Math.Sqrt(0.3 * 0.7) : 0).ToArray(), steps, "drop-activation");
    }

    [Fact]
    public void Dropout_with_p_zero_is_the_input_itself_and_p_one_is_refused()
    {
        var b = new GraphBuilder(DType.F64);
        var x = b.Input("x", DType.F64, Dims);
        Assert.Same(x, Dropout.Apply(b, x, 0));
        Assert.Contains("[0, 1)", Assert.Throws<ArgumentOutOfRangeException>(() => Dropout.Apply(b, x, 1)).Message);
        Assert.Contains("[0, 1]", Assert.Throws<ArgumentOutOfRangeException>(() => DropActivation.Apply(b, x, 2)).Message);
    }
}
