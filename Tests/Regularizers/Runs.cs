using StaticGraph.Backend;
using StaticGraph.Backend.Cpu;
using StaticGraph.Conformance;
using StaticGraph.Ops;
using Xunit;

namespace StaticGraph.Tests.Regularizers;

/// <summary>
/// Runs regularizer graphs on the CPU in a chosen mode at a chosen (seed, step), and checks gradients with the kit's
/// checker (<see cref="GradientChecker"/>) with the draws held fixed: every run of a check happens at the same step, so
/// the random ops draw the same values each time.
/// </summary>
internal static class Runs
{
    /// <summary>The seed and step gradient checks hold their draws at.</summary>
    public const ulong GradientSeed = 11;

    /// <inheritdoc cref="GradientSeed"/>
    public const long GradientStep = 5;

    public static IExecutable Compile(ProgramMode mode, Node[] fetches, ulong seed = 7, int threads = 2) =>
        CpuBackend.Instance.Compile(GraphProgram.Create(mode, fetches, [], null, null), new CompileOptions(Seed: seed, Threads: threads));

    /// <summary>Every fetch's value as f64 (i32 and f32 converted exactly), after one run at <paramref name="step"/>.</summary>
    public static double[][] Values(ProgramMode mode, Node[] fetches, long step = 3, ulong seed = 7, int threads = 2, Action<IExecutable>? feed = null) =>
        [.. Tensors(mode, fetches, step, seed, threads, feed).Select(t => t.Values)];

    public static double[] Value(ProgramMode mode, Node fetch, long step = 3, ulong seed = 7, int threads = 2, Action<IExecutable>? feed = null) =>
        Values(mode, [fetch], step, seed, threads, feed)[0];

    public static double[] Read(IExecutable run, Node node) => Tensor.Read(run, node).Values;

    /// <summary>Raw bits of every fetch, for bitwise comparisons.</summary>
    public static long[] Bits(ProgramMode mode, Node[] fetches, long step = 3, ulong seed = 7, int threads = 2, Action<IExecutable>? feed = null) =>
        [.. Tensors(mode, fetches, step, seed, threads, feed).SelectMany(t => t.Bits)];

    private static Tensor[] Tensors(ProgramMode mode, Node[] fetches, long step, ulong seed, int threads, Action<IExecutable>? feed)
    {
        using var run = Compile(mode, fetches, seed, threads);
        run.Step = step;
        feed?.Invoke(run);
        run.Run();
        return [.. fetches.Select(f => Tensor.Read(run, f))];
    }

    /// <summary>The random node named <paramref name="qualifiedName"/>.</summary>
    public static Node Named(GraphBuilder b, string qualifiedName) =>
        b.Nodes.SingleOrDefault(n => n.Name == qualifiedName) ?? throw new KeyNotFoundException($"no node is named '{qualifiedName}'; names: {string.Join(", ", b.Nodes.Where(n => n.Name is not null).Select(n => n.Name))}");

    /// <summary>N(0, 1) values, reproducible from <paramref name="seed"/>.</summary>
    public static double[] Normal(int seed, long count) => StaticGraph.Conformance.Values.Normal(count, seed);

    /// <summary>Values in ±[0.1, 2]: no perturbation of the checker crosses a kink at 0.</summary>
    public static double[] AwayFromZero(int seed, long count) => StaticGraph.Conformance.Values.AwayFromZero(count, seed);

    /// <summary>A training-mode gradient problem of f64 inputs x0, x1, ... with the draws held at (<see cref="GradientSeed"/>, <see cref="GradientStep"/>).</summary>
    public static GradientProblem Problem(string name, Func<GraphBuilder, Node[], Node> build, int[][] shapes, double[][]? values = null) =>
        GradientProblem.Of(name, shapes, values ?? [.. shapes.Select((s, i) => Normal(1234 + i, new Shape(s).ElementCount))], build) with
        {
            Mode = ProgramMode.Training,
            Seed = GradientSeed,
            Step = GradientStep,
        };

    /// <summary>Asserts autodiff's gradient of every input equals central differences with the draws held fixed.</summary>
    public static void CheckGradients(Func<GraphBuilder, Node[], Node> build, int[][] shapes, double[][]? values = null, [System.Runtime.CompilerServices.CallerMemberName] string name = "") =>
        GradientChecker.Check(Problem(name, build, shapes, values));

    /// <summary>Asserts |expected - actual| &lt;= <paramref name="tolerance"/>.</summary>
    public static void Near(double expected, double actual, double tolerance, string what) =>
        Assert.True(Math.Abs(expected - actual) <= tolerance, $"{what}: expected {expected:R}, got {actual:R} (tolerance {tolerance:E1})");

    /// <summary>Asserts two arrays agree element by element to <paramref name="digits"/> decimal places (like Assert.Equal on doubles).</summary>
    public static void Close(double[] expected, double[] actual, int digits)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
            Assert.True(Math.Round(expected[i] - actual[i], digits) == 0, $"element {i}: expected {expected[i]:R}, got {actual[i]:R} (to {digits} places)");
    }

    /// <summary>Means of the training outputs over <paramref name="steps"/> steps and the inference output.</summary>
    public static (double[] Mean, double[] Inference) MonteCarlo(Node output, int steps, Action<IExecutable>? feed = null)
    {
        using var training = Compile(ProgramMode.Training, [output]);
        var sum = new double[output.Shape.ElementCount];
        for (var s = 0; s < steps; s++)
        {
            training.Step = s;
            feed?.Invoke(training);
            training.Run();
            var v = Read(training, output);
            for (var i = 0; i < sum.Length; i++) sum[i] += v[i];
        }
        return (sum.Select(v => v / steps).ToArray(), Value(ProgramMode.Inference, output, feed: feed));
    }

    /// <summary>
    /// Asserts |mean - inference| &lt;= 5 sigma / sqrt(steps) per element, sigma the element's
    /// standard deviation under the draws; with a few hundred elements a false alarm has odds below 1e-4.
    /// </summary>
    public static void AssertWithinBound(double[] mean, double[] inference, double[] sigma, int steps, string what)
    {
        for (var i = 0; i < mean.Length; i++)
        {
            var bound = 5 * sigma[i] / Math.Sqrt(steps) + 1e-12;
            Assert.True(Math.Abs(mean[i] - inference[i]) <= bound,
                $"{what}[{i}]: Monte-Carlo mean {mean[i]:R} of the training forward is {Math.Abs(mean[i] - inference[i]):E2} from inference {inference[i]:R} (bound {bound:E2})");
        }
    }
}
