using StaticGraph.Backend;
using StaticGraph.Backend.Cpu;
using StaticGraph.Ops;
using Xunit;

namespace StaticGraph.Tests.Nn;

/// <summary>
/// Checks an op's gradients against central differences in float64. The op is applied to fed
/// inputs and reduced to the scalar loss = sum(op(...) * r) with a fixed random r, so every output
/// element's gradient matters; each input's autodiff gradient is then compared elementwise with
/// (loss(v + h) - loss(v - h)) / 2h.
/// </summary>
internal static class GradientCheck
{
    private const double Step = 1e-5;

    // Below this magnitude errors are measured absolutely: a gradient that should be 0 cannot have a relative error.
    private const double ErrorFloor = 1e-2;

    /// <summary>
    /// Asserts that the gradient of every input listed in <paramref name="checkedInputs"/> matches
    /// central differences to a relative error below <paramref name="tolerance"/>.
    /// </summary>
    /// <param name="values">The inputs' values, one array per input, row-major.</param>
    /// <param name="shapes">The inputs' shapes.</param>
    /// <param name="apply">Builds the op under test from the input nodes.</param>
    /// <param name="checkedInputs">Indices of the inputs to differentiate with respect to.</param>
    /// <param name="mode">The program mode the op runs in (batch norm's gradient is a training-mode one).</param>
    public static void AssertGradientsMatch(
        double[][] values, int[][] shapes, Func<GraphBuilder, Node[], Node> apply, int[] checkedInputs,
        ProgramMode mode = ProgramMode.Inference, double tolerance = 1e-6)
    {
        var b = new GraphBuilder(DType.F64);
        var inputs = shapes.Select((s, i) => b.Input(InputName(i), DType.F64, s)).ToArray();
        var y = apply(b, inputs);
        var r = b.Constant(TestValues.Uniform(y.Shape.ElementCount, seed: 97, low: 0.5, high: 1.5), DType.F64, y.Shape.ToArray());
        var loss = b.SumAll(b.Mul(y, r));
        var grads = Autodiff.Gradients(loss, checkedInputs.Select(i => inputs[i]).ToArray());
        var gradNodes = checkedInputs.Select(i => grads.TryGetValue(inputs[i], out var g) ? g : throw new Xunit.Sdk.XunitException($"no gradient reached input {i}")).ToArray();

        using var analytic = CpuBackend.Instance.Compile(GraphProgram.Create(mode, [loss, .. gradNodes], [], null, null), new CompileOptions(Threads: 2));
        using var lossOnly = CpuBackend.Instance.Compile(GraphProgram.Create(mode, [loss], [], null, null), new CompileOptions(Threads: 2));
        Feed(analytic, values);
        analytic.Run();

        for (var k = 0; k < checkedInputs.Length; k++)
        {
            var i = checkedInputs[k];
            var expected = analytic.Read<double>(gradNodes[k]);
            var perturbed = (double[])values[i].Clone();
            for (var e = 0; e < perturbed.Length; e++)
            {
                var original = perturbed[e];
                perturbed[e] = original + Step;
                var up = Loss(lossOnly, loss, values, i, perturbed);
                perturbed[e] = original - Step;
                var down = Loss(lossOnly, loss, values, i, perturbed);
                perturbed[e] = original;
                var numeric = (up - down) / (2 * Step);
                var error = Math.Abs(numeric - expected[e]) / Math.Max(ErrorFloor, Math.Max(Math.Abs(numeric), Math.Abs(expected[e])));
                Assert.True(error < tolerance,
                    $"d loss / d input {i} [{e}]: autodiff {expected[e]:R}, central difference {numeric:R} (relative error {error:E2})");
            }
        }
    }

    /// <summary>The name under which input <paramref name="i"/> is fed.</summary>
    public static string InputName(int i) => "in" + i;

    private static void Feed(IExecutable run, double[][] values)
    {
        for (var i = 0; i < values.Length; i++) run.SetInput<double>(InputName(i), values[i]);
    }

    /// <summary>The loss with input <paramref name="input"/> replaced by <paramref name="value"/>.</summary>
    private static double Loss(IExecutable run, Node loss, double[][] values, int input, double[] value)
    {
        // Every input is fed again: the memory plan reuses an input's buffer once its last reader has run.
        Feed(run, values);
        run.SetInput<double>(InputName(input), value);
        run.Run();
        return run.Read<double>(loss)[0];
    }
}
