using StaticGraph.Backend.Cpu;

namespace StaticGraph.Conformance.Ops;

/// <summary>One fed input of an op case.</summary>
/// <param name="Name">The input's name.</param>
/// <param name="Shape">Its shape.</param>
/// <param name="Values">Its values' generator.</param>
public sealed record CaseInput(string Name, int[] Shape, ValueSource Values)
{
    /// <summary>Its dtype, or null for the program's float dtype (i32 for labels and indices).</summary>
    public DType? DType { get; init; }

    /// <summary>Whether gradients are taken with respect to it (a float input that is data, not a mask or a statistic).</summary>
    public bool Differentiable { get; init; } = true;

    /// <summary>The input's dtype in a program whose float dtype is <paramref name="floatType"/>.</summary>
    public DType In(DType floatType) => DType ?? floatType;

    /// <summary>An i32 input (labels, indices, boxes).</summary>
    public static CaseInput Ints(string name, int[] shape, ValueSource values) => new(name, shape, values) { DType = StaticGraph.DType.I32, Differentiable = false };

    /// <summary>A float input no gradient is taken with respect to (a mask, running statistics, an incoming gradient).</summary>
    public static CaseInput Data(string name, int[] shape, ValueSource values) => new(name, shape, values) { Differentiable = false };
}

/// <summary>How an op case's results are compared.</summary>
public enum OpComparison
{
    /// <summary>Against the f64 CPU reference on the same (rounded) inputs, within the table's per-op bound.</summary>
    Numeric,

    /// <summary>Random draws: against the CPU's draws in the target's dtype, bit for bit, over several steps and seeds.</summary>
    Draws,

    /// <summary>Random draws through log, cos or exp (normal, beta): as <see cref="Draws"/>, within the table's draw bound.</summary>
    TranscendentalDraws,
}

/// <summary>
/// One op under test, in one small definition: its fed inputs (shape, values, dtype), the outputs built from them and how
/// they are compared. The kit builds it in the target's dtype, runs it there and on the reference, and compares every
/// output — and, where the op is differentiable, the gradient of every differentiable input (the ops of its gradient rule,
/// run on the target) — within <see cref="Tolerance.Op"/>. <see cref="ToGradientProblem"/> gives the same case to
/// <see cref="GradientChecker"/>, which checks the reference's gradient itself. Adding an op is adding one of these to
/// its family's list (<see cref="OpCases"/>).
/// </summary>
/// <param name="Name">The case's name: the op's listing name, then a slash and a variant when there are several.</param>
/// <param name="Op">The op class under test (what the coverage test counts).</param>
/// <param name="Inputs">The fed inputs.</param>
/// <param name="Build">The outputs, from the inputs in <see cref="Inputs"/>' order.</param>
public sealed record OpCase(string Name, Type Op, CaseInput[] Inputs, OutputsBuilder Build) : ConformanceCase(Name)
{
    /// <summary>The steps draw cases run, one after another.</summary>
    private const int DrawRuns = 3;

    /// <inheritdoc/>
    public override string Family => "op";

    /// <summary>The program's mode (batch normalisation's batch statistics and gradient are training-mode ones).</summary>
    public ProgramMode Mode { get; init; } = ProgramMode.Inference;

    /// <summary>Whether the op has a gradient rule to run on the target and to check against central differences.</summary>
    public bool Differentiable { get; init; } = true;

    /// <summary>How the outputs are compared.</summary>
    public OpComparison Comparison { get; init; } = OpComparison.Numeric;

    /// <summary>The step the program runs at (draw cases start there and advance).</summary>
    public long Step { get; init; } = 11;

    /// <summary>The seeds draw cases run under (numeric cases run under the first).</summary>
    public IReadOnlyList<ulong> Seeds { get; init; } = [7, 0x9E3779B97F4A7C15];

    /// <summary>Whether gradients are compared and checked: a differentiable op with a differentiable float input.</summary>
    public bool HasGradient => Differentiable && Comparison == OpComparison.Numeric && Inputs.Any(i => i.DType is null && i.Differentiable);

    /// <summary>The case's input values, rounded to what a program in <paramref name="floatType"/> holds.</summary>
    public double[][] InputValues(DType floatType) =>
        [.. Inputs.Select((input, i) => Values.Round(input.Values(input.Shape.Aggregate(1L, (a, d) => a * d), 1000 + 17 * i), input.In(floatType)))];

    /// <summary>The program in <paramref name="floatType"/>: the outputs, then the gradients of the differentiable inputs.</summary>
    public (GraphProgram Program, Node[] Inputs, Node[] Fetches, string[] Labels) Program(DType floatType)
    {
        var b = new GraphBuilder(floatType);
        var inputs = Inputs.Select(i => b.Input(i.Name, i.In(floatType), i.Shape)).ToArray();
        var outputs = Build(b, inputs);
        var fetches = new List<Node>(outputs);
        var labels = outputs.Select((o, k) => outputs.Length == 1 ? $"{o.Op.Name} output" : $"output {k} ({o.Op.Name})").ToList();
        if (HasGradient)
        {
            var (loss, _) = GradientChecker.WeightedLoss(b, outputs);
            var wrt = Enumerable.Range(0, inputs.Length).Where(i => Inputs[i].DType is null && Inputs[i].Differentiable).ToArray();
            var gradients = Autodiff.Gradients(loss, [.. wrt.Select(i => inputs[i])]);
            foreach (var i in wrt.Where(i => gradients.ContainsKey(inputs[i])))
            {
                fetches.Add(gradients[inputs[i]]);
                labels.Add($"d/d {Inputs[i].Name}");
            }
        }
        return (GraphProgram.Create(Mode, fetches, [], null, null), inputs, [.. fetches], [.. labels]);
    }

    /// <summary>The case as the gradient checker takes it: every float input fed in f64, the rest made constants.</summary>
    public GradientProblem ToGradientProblem()
    {
        var values = InputValues(DType.F64);
        var fed = Enumerable.Range(0, Inputs.Length).Where(i => Inputs[i].DType is null).ToArray();
        return new GradientProblem($"op:{Name}", [.. fed.Select(i => Inputs[i].Shape)], [.. fed.Select(i => values[i])], (b, xs) =>
        {
            var nodes = new Node[Inputs.Length];
            for (var k = 0; k < fed.Length; k++) nodes[fed[k]] = xs[k];
            for (var i = 0; i < Inputs.Length; i++)
                nodes[i] ??= b.Constant(values[i], Inputs[i].In(DType.F64), Inputs[i].Shape);
            return Build(b, nodes);
        })
        {
            Differentiate = [.. fed.Select(i => Inputs[i].Differentiable)],
            Mode = Mode,
            Step = Step,
        };
    }

    /// <inheritdoc/>
    protected override Verdict Check(ConformanceTarget target) =>
        Comparison == OpComparison.Numeric ? CheckNumeric(target) : CheckDraws(target);

    /// <summary>Outputs and gradients on the target against the f64 CPU reference on the same rounded inputs.</summary>
    private Verdict CheckNumeric(ConformanceTarget target)
    {
        var values = InputValues(target.DType);
        var actual = Evaluate(target.Compile, target.DType, values, Seeds[0], Step, runs: 1)[0];
        var expected = Evaluate((p, o) => CpuBackend.Instance.Compile(p, o with { Threads = 1 }), DType.F64, values, Seeds[0], Step, runs: 1)[0];
        var labels = Program(DType.F64).Labels;
        Verdict? worst = null;
        for (var k = 0; k < expected.Length; k++)
        {
            var m = target.Tolerance.ByNorm ? Errors.RelativeL2(expected[k].Values, actual[k].Values) : Errors.Relative(expected[k].Values, actual[k].Values);
            worst = Verdict.Worse(worst, new Verdict(m.Error, target.Tolerance.Op, $"{labels[k]}, {m.Where}"));
        }
        return worst!;
    }

    /// <summary>Draws on the target against the CPU's in the same dtype after each of several steps, under two seeds.</summary>
    private Verdict CheckDraws(ConformanceTarget target)
    {
        var tolerance = Comparison == OpComparison.Draws && target.BitwiseDraws ? 0 : target.Tolerance.Draws;
        var values = InputValues(target.DType);
        var labels = Program(target.DType).Labels;
        Verdict? worst = null;
        foreach (var seed in Seeds)
        {
            var actual = Evaluate(target.Compile, target.DType, values, seed, Step, DrawRuns);
            var expected = Evaluate((p, o) => CpuBackend.Instance.Compile(p, o with { Threads = 1 }), target.DType, values, seed, Step, DrawRuns);
            for (var r = 0; r < DrawRuns; r++)
                for (var k = 0; k < expected[r].Length; k++)
                {
                    var m = tolerance == 0 ? Errors.Bitwise(expected[r][k], actual[r][k]) : Errors.Relative(expected[r][k].Values, actual[r][k].Values);
                    var what = tolerance == 0 && m.Error > 0 ? "bits differ at " : "";
                    worst = Verdict.Worse(worst, new Verdict(m.Error, tolerance, $"{labels[k]} at step {Step + r} (seed {seed:x}), {what}{m.Where}"));
                }
        }
        return worst!;
    }

    /// <summary>Every fetch after each of <paramref name="runs"/> runs of the case's program in <paramref name="floatType"/>.</summary>
    private Tensor[][] Evaluate(ProgramCompiler compile, DType floatType, double[][] values, ulong seed, long step, int runs)
    {
        var (program, inputs, fetches, _) = Program(floatType);
        using var run = compile(program, new CompileOptions(seed));
        run.Step = step;
        var results = new Tensor[runs][];
        for (var r = 0; r < runs; r++)
        {
            // Every input is fed before every run: the memory plan may reuse an input's buffer after its last reader.
            for (var i = 0; i < inputs.Length; i++)
                if (program.Inputs.Contains(inputs[i])) Values.Feed(run, Inputs[i].Name, inputs[i].DType, values[i]);
            run.Run();
            results[r] = [.. fetches.Select(f => Tensor.Read(run, f))];
        }
        return results;
    }
}
