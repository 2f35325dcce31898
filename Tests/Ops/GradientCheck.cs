using StaticGraph.Backend;
using StaticGraph.Backend.Cpu;
using StaticGraph.Ops;
using Xunit;

namespace StaticGraph.Tests.Ops;

/// <summary>
/// Checks an op's gradient rule against central differences in f64. The loss is sum(op(x) * r)
/// with r a fixed random tensor, so every output element weighs differently and a gradient that
/// is wrong anywhere shows. Inputs are f64 inputs named x0, x1, ...; non-differentiable operands
/// (indices, labels) are made inside the build function as constants.
/// </summary>
internal static class GradientCheck
{
    /// <summary>The central-difference step.</summary>
    public const double Step = 1e-6;

    /// <summary>
    /// The largest accepted error |analytic - numeric| / max(1, |analytic|, |numeric|): relative
    /// for large gradients, absolute near zero where a relative error means nothing.
    /// </summary>
    public const double Tolerance = 1e-6;

    /// <summary>Checks the gradients of every input, drawing input values from N(0, 1).</summary>
    public static void Check(Func<GraphBuilder, Node[], Node> op, params int[][] inputShapes)
    {
        var random = new System.Random(1234);
        Check(op, inputShapes.Select(s => (s, Normal(random, new Shape(s).ElementCount))).ToArray());
    }

    /// <summary>Checks the gradients of every input at the given values.</summary>
    public static void Check(Func<GraphBuilder, Node[], Node> op, params (int[] Shape, double[] Values)[] inputs)
    {
        var b = new GraphBuilder(DType.F64);
        var xs = inputs.Select((input, i) => b.Input($"x{i}", DType.F64, input.Shape)).ToArray();
        var y = op(b, xs);
        var weights = b.Constant(Normal(new System.Random(99), y.Shape.ElementCount), DType.F64, y.Shape.ToArray());
        var weighted = b.Mul(y, weights);
        var loss = y.Shape.Rank == 0 ? weighted : b.SumAll(weighted);
        var gradients = Autodiff.Gradients(loss, xs);
        foreach (var x in xs) Assert.True(gradients.ContainsKey(x), $"autodiff gave no gradient for input {x.Name}");

        using var run = CpuBackend.Instance.Compile(GraphProgram.Inference([loss, .. xs.Select(x => gradients[x])]), new CompileOptions(Threads: 2));
        var values = inputs.Select(i => (double[])i.Values.Clone()).ToArray();
        LossAt(run, xs, values, loss);
        var analytic = xs.Select(x => run.Read<double>(gradients[x])).ToArray();

        for (var i = 0; i < xs.Length; i++)
        {
            for (var j = 0; j < values[i].Length; j++)
            {
                var original = values[i][j];
                values[i][j] = original + Step;
                var plus = LossAt(run, xs, values, loss);
                values[i][j] = original - Step;
                var minus = LossAt(run, xs, values, loss);
                values[i][j] = original;

                var numeric = (plus - minus) / (2 * Step);
                var error = Math.Abs(analytic[i][j] - numeric) / Math.Max(1, Math.Max(Math.Abs(analytic[i][j]), Math.Abs(numeric)));
                Assert.True(error < Tolerance,
                    $"{y.Op.Name}: d loss / d {xs[i].Name}[{j}] is {analytic[i][j]:R} by autodiff, {numeric:R} by central differences (error {error:E2})");
            }
        }
    }

    /// <summary>Values drawn from N(0, 1) by Box-Muller, reproducible from the generator's seed.</summary>
    public static double[] Normal(System.Random random, long count)
    {
        var values = new double[count];
        for (var i = 0; i < count; i++)
            values[i] = Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
        return values;
    }

    /// <summary>The loss at these input values; every input is fed again because the arena may reuse input buffers after their last reader.</summary>
    private static double LossAt(IExecutable run, Node[] inputs, double[][] values, Node loss)
    {
        for (var i = 0; i < inputs.Length; i++) run.SetInput<double>(inputs[i].Name!, values[i]);
        run.Run();
        return run.Read<double>(loss)[0];
    }
}
