using StaticGraph.Backend.Cpu;

namespace StaticGraph.Conformance;

/// <summary>
/// The one gradient checker: autodiff's gradients against central differences, in f64 on the CPU reference, with one
/// step size and one tolerance policy for every caller (the C# op and regularizer tests, the F# properties, the kit's
/// gradient cases).
/// <para>The loss is Σ over outputs of sum(output · r) with r fixed and uniform in [-1, 1] (every output element weighs
/// differently, so a gradient wrong anywhere shows; zero mean keeps the loss's partial sums, and with them the rounding
/// noise, small). ONE program fetches the loss and the gradients and is re-run with perturbed inputs, every input fed
/// again each run (the memory plan reuses an input's buffer after its last reader).</para>
/// <para>The derivative is Richardson-extrapolated central differences: D(h) = (L(x+h) − L(x−h)) / (the step actually
/// taken after rounding x ± h), and (4 D(h/2) − D(h)) / 3, whose truncation error is O(h⁴). With h = 1e-4 that leaves the
/// rounding noise, about 1e-16 · Σ|terms of L| / h ≈ 1e-10 for the checks' losses, so the tolerance can be strict where
/// plain differences could not: the error |g − fd| / max(1e-2, |g|, |fd|) must stay below 1e-6 — relative for gradients
/// above 0.01, and absolute (1e-8) below, where a gradient that should be 0 has no relative error. The perturbation
/// 1e-4 stays clear of every kink the value generators keep away from (0.05 from zero, 5e-3 between competing maxima).</para>
/// </summary>
public static class GradientChecker
{
    /// <summary>The central-difference step h (the extrapolation also takes h/2).</summary>
    public const double StepSize = 1e-4;

    /// <summary>The largest accepted |g − fd| / max(<see cref="Floor"/>, |g|, |fd|).</summary>
    public const double Tolerance = 1e-6;

    /// <summary>Below this magnitude errors are absolute: a gradient that should be 0 has no relative error.</summary>
    public const double Floor = 1e-2;

    /// <summary>The fixed weights of an output of <paramref name="count"/> elements: uniform in [-1, 1], reproducible.</summary>
    public static double[] Weights(long count, int output = 0)
    {
        var random = new System.Random(20240917 + output);
        var values = new double[count];
        for (var i = 0; i < count; i++) values[i] = 2 * random.NextDouble() - 1;
        return values;
    }

    /// <summary>Checks every differentiated input's gradient; throws <see cref="GradientMismatchException"/> naming the worst element.</summary>
    public static GradientReport Check(GradientProblem problem)
    {
        ArgumentNullException.ThrowIfNull(problem);
        var report = Differentiate(problem);
        for (var i = 0; i < problem.Shapes.Length; i++)
        {
            if (!problem.Differentiates(i)) continue;
            var missing = report.Missing[i] ? " (autodiff gave no gradient: taken as 0)" : "";
            Agree($"{problem.Name}: d loss / d x{i} {Format(problem.Shapes[i])}{missing}", report.Numeric[i], report.Analytic[i], Tolerance,
                e => $" at value {problem.Values[i][e]:R}");
        }
        return report;
    }

    /// <summary>Checks an op of inputs of <paramref name="shapes"/> at N(0, 1) values (seeds 1234, 1235, ...).</summary>
    public static GradientReport Check(string name, Func<GraphBuilder, Node[], Node> build, params int[][] shapes)
    {
        ArgumentNullException.ThrowIfNull(shapes);
        var values = shapes.Select((s, i) => Values.Normal(s.Aggregate(1L, (a, d) => a * d), 1234 + i)).ToArray();
        return Check(GradientProblem.Of(name, shapes, values, build));
    }

    /// <summary>
    /// The largest |expected − actual| / max(<see cref="Floor"/>, |expected|, |actual|) and where: the checker's measure,
    /// for callers comparing gradients with closed forms of their own.
    /// </summary>
    public static Mismatch Compare(ReadOnlySpan<double> expected, ReadOnlySpan<double> actual)
    {
        if (expected.Length != actual.Length) throw new ArgumentException($"lengths differ: {expected.Length} and {actual.Length}");
        var worst = Mismatch.None;
        for (var i = 0; i < expected.Length; i++)
        {
            var (e, a) = (expected[i], actual[i]);
            var error = Math.Abs(e - a) / Math.Max(Floor, Math.Max(Math.Abs(e), Math.Abs(a)));
            if (double.IsNaN(error)) error = double.PositiveInfinity;
            if (error > worst.Error) worst = new Mismatch(error, i, e, a);
        }
        return worst;
    }

    /// <summary>Throws <see cref="GradientMismatchException"/> unless <see cref="Compare"/> stays below <paramref name="tolerance"/>.</summary>
    public static void Agree(string what, double[] expected, double[] actual, double tolerance = Tolerance, Func<long, string>? at = null)
    {
        ArgumentNullException.ThrowIfNull(expected);
        ArgumentNullException.ThrowIfNull(actual);
        var worst = Compare(expected, actual);
        if (!(worst.Error < tolerance) && worst.Index >= 0)
            throw new GradientMismatchException(
                $"{what}, element {worst.Index}{at?.Invoke(worst.Index)}: expected {worst.Expected:R}, got {worst.Actual:R} (error {worst.Error:E2}, tolerance {tolerance:E0})");
    }

    /// <summary>Autodiff's gradients and the extrapolated central differences, without judging them.</summary>
    public static GradientReport Differentiate(GradientProblem problem)
    {
        ArgumentNullException.ThrowIfNull(problem);
        if (problem.Shapes.Length != problem.Values.Length || (problem.Differentiate is { } d && d.Length != problem.Shapes.Length))
            throw new ArgumentException($"{problem.Name}: one shape, one value array (and one flag) per input");
        var b = new GraphBuilder(DType.F64);
        var inputs = problem.Shapes.Select((s, i) => b.Input($"x{i}", DType.F64, s)).ToArray();
        var outputs = problem.Build(b, inputs);
        var (loss, weights) = WeightedLoss(b, outputs);
        var wrt = Enumerable.Range(0, inputs.Length).Where(problem.Differentiates).Select(i => inputs[i]).ToArray();
        var gradients = Autodiff.Gradients(loss, wrt);
        var extra = problem.Extra?.Invoke(b) ?? [];
        var fetched = wrt.Where(gradients.ContainsKey).Select(x => gradients[x]).ToArray();
        var program = GraphProgram.Create(problem.Mode, [loss, .. fetched, .. extra], [], null, null);
        using var run = CpuBackend.Instance.Compile(program, new CompileOptions(problem.Seed, Threads: 2));
        var values = problem.Values.Select(v => (double[])v.Clone()).ToArray();

        double LossAt()
        {
            for (var i = 0; i < inputs.Length; i++)
                if (program.Inputs.Contains(inputs[i])) run.SetInput<double>(inputs[i].Name!, values[i]);
            run.Step = problem.Step;
            run.Run();
            return run.Read<double>(loss)[0];
        }

        LossAt();
        var analytic = new double[inputs.Length][];
        var missing = new bool[inputs.Length];
        for (var i = 0; i < inputs.Length; i++)
        {
            missing[i] = problem.Differentiates(i) && !gradients.ContainsKey(inputs[i]);
            analytic[i] = !problem.Differentiates(i) ? [] : missing[i] ? new double[values[i].Length] : run.Read<double>(gradients[inputs[i]]);
        }
        var extras = extra.Select(n => Tensor.Read(run, n).Values).ToArray();
        var numeric = new double[inputs.Length][];
        for (var i = 0; i < inputs.Length; i++)
        {
            numeric[i] = new double[problem.Differentiates(i) ? values[i].Length : 0];
            for (var j = 0; j < numeric[i].Length; j++)
            {
                var x = values[i][j];
                double Difference(double h)
                {
                    var (up, down) = (x + h, x - h);
                    values[i][j] = up;
                    var plus = LossAt();
                    values[i][j] = down;
                    var minus = LossAt();
                    values[i][j] = x;
                    return (plus - minus) / (up - down);
                }
                numeric[i][j] = (4 * Difference(StepSize / 2) - Difference(StepSize)) / 3;
            }
        }
        return new GradientReport(analytic, numeric, extras, weights, missing);
    }

    /// <summary>Σ over float outputs of sum(output · r), r from <see cref="Weights"/>; a scalar output is weighted as a one-element tensor.</summary>
    public static (Node Loss, double[][] Weights) WeightedLoss(GraphBuilder b, IReadOnlyList<Node> outputs)
    {
        ArgumentNullException.ThrowIfNull(b);
        ArgumentNullException.ThrowIfNull(outputs);
        Node? loss = null;
        var weights = new double[outputs.Count][];
        for (var k = 0; k < outputs.Count; k++)
        {
            var y = outputs[k];
            if (!y.DType.IsFloat())
            {
                weights[k] = [];
                continue;
            }
            weights[k] = Weights(y.Shape.ElementCount, k);
            var product = b.Mul(y, b.Constant(weights[k], y.DType, y.Shape.ToArray()));
            var weighted = y.Shape.Rank == 0 ? product : b.SumAll(product);
            // Outputs may differ in dtype (batch norm's statistics are f64 in an f32 program): the loss keeps the first's.
            if (loss is not null && weighted.DType != loss.DType) weighted = b.Cast(weighted, loss.DType);
            loss = loss is null ? weighted : b.Add(loss, weighted);
        }
        return (loss ?? throw new ArgumentException("no output is floating point: nothing to differentiate"), weights);
    }

    private static string Format(int[] shape) => "[" + string.Join(",", shape) + "]";
}
