using StaticGraph.Conformance.Ops;
using StaticGraph.Conformance.Steps;

namespace StaticGraph.Conformance;

/// <summary>
/// The conformance kit: every case, each runnable on any <see cref="ConformanceTarget"/> against the f64 CPU reference
/// — every op (and the ops of its gradient rule), every random op against the CPU's draws, one training step of every
/// zoo model, regularizer variant, objective and small network, their inference programs, two runs bitwise equal, and
/// graph replay equal to eager issue. The tests run it per target as theories (one visible test per case), <c>device-check</c> prints a row per case,
/// and the F# CUDA properties compare through it; nothing else re-implements these comparisons.
/// </summary>
public static class ConformanceKit
{
    private static readonly Lazy<IReadOnlyList<ConformanceCase>> Everything = new(() =>
    [
        .. OpCases.All,
        .. StepPrograms.All.Select(p => new StepCase(p)),
        .. StepPrograms.Inference.Select(p => new InferenceCase(p)),
        .. StepPrograms.Determinism.Select(p => new RepeatCase(p)),
        .. StepPrograms.Determinism.Select(p => new ReplayCase(p)),
    ]);

    /// <summary>The families, in the order reports list them.</summary>
    public static IReadOnlyList<string> Families { get; } = ["op", "step", "inference", "repeat", "replay"];

    /// <summary>Every case.</summary>
    public static IReadOnlyList<ConformanceCase> Cases => Everything.Value;

    /// <summary>The cases of one family.</summary>
    public static IEnumerable<ConformanceCase> Family(string family) => Cases.Where(c => c.Family == family);

    /// <summary>The case with id <paramref name="id"/> ("family:name").</summary>
    public static ConformanceCase Get(string id) => Cases.SingleOrDefault(c => c.Id == id) ?? throw new KeyNotFoundException($"the kit has no case '{id}'");

    /// <summary>Runs every case (or those <paramref name="select"/> keeps) on <paramref name="target"/>, one result at a time.</summary>
    public static IEnumerable<ConformanceResult> Run(ConformanceTarget target, Func<ConformanceCase, bool>? select = null)
    {
        ArgumentNullException.ThrowIfNull(target);
        foreach (var c in Cases)
            if (select is null || select(c)) yield return c.Run(target);
    }
}
