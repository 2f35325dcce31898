using StaticGraph.Backend;
using StaticGraph.Backend.Cpu;
using StaticGraph.Ops;
using Xunit;

namespace StaticGraph.Tests.Regularizers;

/// <summary>
/// Runs regularizer graphs on the CPU in a chosen mode at a chosen (seed, step), and checks
/// gradients against f64 central differences with the draws held fixed: every run of a check
/// happens at the same step, so the random ops draw the same values each time.
/// </summary>
internal static class Runs
{
    public const double FdStep = 1e-6;
    public const double Tolerance = 1e-6;

    public static IExecutable Compile(ProgramMode mode, Node[] fetches, ulong seed = 7, int threads = 2) =>
        CpuBackend.Instance.Compile(GraphProgram.Create(mode, fetches, [], null, null), new CompileOptions(Seed: seed, Threads: threads));

    /// <summary>Every fetch's value as f64 (i32 and f32 converted exactly), after one run at <paramref name="step"/>.</summary>
    public static double[][] Values(ProgramMode mode, Node[] fetches, long step = 3, ulong seed = 7, int threads = 2, Action<IExecutable>? feed = null)
    {
        using var run = Compile(mode, fetches, seed, threads);
        run.Step = step;
        feed?.Invoke(run);
        run.Run();
        return fetches.Select(f => Read(run, f)).ToArray();
    }

    public static double[] Value(ProgramMode mode, Node fetch, long step = 3, ulong seed = 7, int threads = 2, Action<IExecutable>? feed = null) =>
        Values(mode, [fetch], step, seed, threads, feed)[0];

    public static double[] Read(IExecutable run, Node node) => node.DType switch
    {
        DType.F32 => run.Read<float>(node).Select(v => (double)v).ToArray(),
        DType.F64 => run.Read<double>(node),
        DType.I32 => run.Read<int>(node).Select(v => (double)v).ToArray(),
        _ => throw new NotSupportedException($"cannot read {node.Type}"),
    };

    /// <summary>Raw bits of every fetch, for bitwise comparisons.</summary>
    public static long[] Bits(ProgramMode mode, Node[] fetches, long step = 3, ulong seed = 7, int threads = 2, Action<IExecutable>? feed = null)
    {
        using var run = Compile(mode, fetches, seed, threads);
        run.Step = step;
        feed?.Invoke(run);
        run.Run();
        return fetches.SelectMany(f => f.DType switch
        {
            DType.F32 => run.Read<float>(f).Select(v => (long)BitConverter.SingleToInt32Bits(v)),
            DType.F64 => run.Read<double>(f).Select(BitConverter.DoubleToInt64Bits),
            _ => run.Read<int>(f).Select(v => (long)v),
        }).ToArray();
    }

    /// <summary>The random node named <paramref name="qualifiedName"/>.</summary>
    public static Node Named(GraphBuilder b, string qualifiedName) =>
        b.Nodes.SingleOrDefault(n => n.Name == qualifiedName) ?? throw new KeyNotFoundException($"no node is named '{qualifiedName}'; names: {string.Join(", ", b.Nodes.Where(n => n.Name is not null).Select(n => n.Name))}");

    /// <summary>N(0, 1) values, reproducible from <paramref name="seed"/>.</summary>
    public static double[] Normal(int seed, long count)
    {
        var random = new System.Random(seed);
        return Enumerable.Range(0, checked((int)count))
            .Select(_ => Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble())).ToArray();
    }

    /// <summary>Values in ±[0.1, 2]: no perturbation of 1e-6 crosses a kink at 0.</summary>
    public static double[] AwayFromZero(int seed, long count)
    {
        var random = new System.Random(seed);
        return Enumerable.Range(0, checked((int)count)).Select(_ => (0.1 + 1.9 * random.NextDouble()) * (random.Next(2) == 0 ? -1 : 1)).ToArray();
    }

    /// <summary>A gradient check's graph: f64 inputs x0, x1, ..., the output y, loss = sum(y * r) and the autodiff gradients.</summary>
    public sealed class GradientGraph
    {
        public GradientGraph(Func<GraphBuilder, Node[], Node> build, int[][] shapes)
        {
            Builder = new GraphBuilder(DType.F64);
            Inputs = shapes.Select((s, i) => Builder.Input($"x{i}", DType.F64, s)).ToArray();
            Output = build(Builder, Inputs);
            Weights = Normal(99, Output.Shape.ElementCount);
            var weighted = Builder.Mul(Output, Builder.Constant(Weights, DType.F64, Output.Shape.ToArray()));
            Loss = Output.Shape.Rank == 0 ? weighted : Builder.SumAll(weighted);
            var grads = Autodiff.Gradients(Loss, Inputs);
            Gradients = Inputs.Select(x => grads.TryGetValue(x, out var g) ? g : throw new Xunit.Sdk.XunitException($"autodiff gave no gradient for {x.Name}")).ToArray();
        }

        public GraphBuilder Builder { get; }
        public Node[] Inputs { get; }
        public Node Output { get; }
        public Node Loss { get; }
        public double[] Weights { get; }
        public Node[] Gradients { get; }
    }

    /// <summary>
    /// Autodiff's gradients and the central differences of the loss, both in a training program run
    /// at <paramref name="step"/> every time (draws held fixed). <paramref name="extra"/> nodes are
    /// fetched too and returned after the analytic run.
    /// </summary>
    public static (double[][] Analytic, double[][] Numeric, double[][] Extra) Differentiate(GradientGraph g, double[][] values, long step = 5, ulong seed = 11, params Node[] extra)
    {
        using var run = Compile(ProgramMode.Training, [g.Loss, .. g.Gradients, .. extra], seed);
        double LossAt(double[][] v)
        {
            for (var i = 0; i < g.Inputs.Length; i++) run.SetInput<double>(g.Inputs[i].Name!, v[i]);
            run.Step = step;
            run.Run();
            return run.Read<double>(g.Loss)[0];
        }
        var current = values.Select(v => (double[])v.Clone()).ToArray();
        LossAt(current);
        var analytic = g.Gradients.Select(n => run.Read<double>(n)).ToArray();
        var extras = extra.Select(n => Read(run, n)).ToArray();
        var numeric = new double[values.Length][];
        for (var i = 0; i < values.Length; i++)
        {
            numeric[i] = new double[values[i].Length];
            for (var j = 0; j < values[i].Length; j++)
            {
                var x0 = current[i][j];
                current[i][j] = x0 + FdStep;
                var plus = LossAt(current);
                current[i][j] = x0 - FdStep;
                var minus = LossAt(current);
                current[i][j] = x0;
                numeric[i][j] = (plus - minus) / (2 * FdStep);
            }
        }
        return (analytic, numeric, extras);
    }

    /// <summary>Asserts autodiff's gradient of every input equals central differences with the draws held fixed.</summary>
    public static void CheckGradients(Func<GraphBuilder, Node[], Node> build, int[][] shapes, double[][]? values = null, long step = 5)
    {
        values ??= shapes.Select((s, i) => Normal(1234 + i, new Shape(s).ElementCount)).ToArray();
        var g = new GradientGraph(build, shapes);
        var (analytic, numeric, _) = Differentiate(g, values, step);
        for (var i = 0; i < analytic.Length; i++) AssertGradientsAgree(analytic[i], numeric[i], $"d loss / d x{i}");
    }

    public static void AssertGradientsAgree(double[] analytic, double[] numeric, string what)
    {
        Assert.Equal(analytic.Length, numeric.Length);
        for (var j = 0; j < analytic.Length; j++)
        {
            var error = Math.Abs(analytic[j] - numeric[j]) / Math.Max(1, Math.Max(Math.Abs(analytic[j]), Math.Abs(numeric[j])));
            Assert.True(error < Tolerance, $"{what}[{j}]: autodiff {analytic[j]:R}, central differences {numeric[j]:R} (error {error:E2})");
        }
    }

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
