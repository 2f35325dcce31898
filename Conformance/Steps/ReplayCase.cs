namespace StaticGraph.Conformance.Steps;

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
