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
