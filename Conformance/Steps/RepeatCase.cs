namespace StaticGraph.Conformance.Steps;

/// <summary>
/// The determinism promise: two fresh executables of a training program with the same seed and inputs give bitwise
/// equal losses, logits and variables after every one of three steps (deterministic mode, no atomics).
/// </summary>
/// <param name="Program">The program.</param>
public sealed record RepeatCase(StepProgram Program) : ConformanceCase(Program.Name)
{
    /// <summary>Steps compared.</summary>
    public const int Steps = 3;

    /// <inheritdoc/>
    public override string Family => "repeat";

    /// <inheritdoc/>
    protected override Verdict Check(ConformanceTarget target) =>
        Traces.Compare(Traces.Run(Program, target.DType, target.Compile, Steps), Traces.Run(Program, target.DType, target.Compile, Steps), "the second run");
}

/// <summary>
/// Graph replay equals eager issue: a target that captures its steps into a graph and replays it gives, bit for bit, what
/// the same target gives issuing every command each step (the first step is issued eagerly in both; the second is
/// captured, the third replayed).
/// </summary>
/// <param name="Program">The program.</param>
public sealed record ReplayCase(StepProgram Program) : ConformanceCase(Program.Name)
{
    /// <inheritdoc/>
    public override string Family => "replay";

    /// <inheritdoc/>
    public override string? NotApplicable(ConformanceTarget target) =>
        target.CompileEager is null ? $"{target.Name} does not replay captured graphs: nothing to compare with eager issue" : null;

    /// <inheritdoc/>
    protected override Verdict Check(ConformanceTarget target) =>
        Traces.Compare(Traces.Run(Program, target.DType, target.Compile, RepeatCase.Steps),
            Traces.Run(Program, target.DType, target.CompileEager!, RepeatCase.Steps), "eager issue");
}

/// <summary>The bits a run of a step program leaves after each step: every fetch, then every variable.</summary>
internal static class Traces
{
    /// <summary>Runs <paramref name="steps"/> steps and records, after each, the fetches and variables.</summary>
    public static List<(string What, Tensor Value)> Run(StepProgram program, DType dtype, ProgramCompiler compile, int steps)
    {
        var training = program.Build(dtype);
        using var run = compile(training, new CompileOptions(program.Seed));
        program.Feed(run, training);
        var trace = new List<(string, Tensor)>();
        for (var s = 0; s < steps; s++)
        {
            run.Run();
            trace.AddRange(training.Fetches.Select((f, k) => ($"fetch {k} ({f.Op.Name}) after step {s + 1}", Tensor.Read(run, f))));
            trace.AddRange(training.Variables.Select(v => ($"'{v.Name}' after step {s + 1}", Tensor.ReadVariable(run, v))));
        }
        return trace;
    }

    /// <summary>Bitwise equality of two traces; the first difference is the detail.</summary>
    public static Verdict Compare(List<(string What, Tensor Value)> first, List<(string What, Tensor Value)> second, string other)
    {
        for (var i = 0; i < first.Count; i++)
        {
            var m = Errors.Bitwise(first[i].Value, second[i].Value);
            if (m.Error > 0) return new Verdict(1, 0, $"{first[i].What}: {other} differs at {m.Where}");
        }
        return new Verdict(0, 0, $"{first.Count} tensors bitwise equal");
    }
}
