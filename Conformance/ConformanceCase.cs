using System.Diagnostics;

namespace StaticGraph.Conformance;

/// <summary>
/// One check of the kit, runnable on any <see cref="ConformanceTarget"/>: it builds its programs in the target's dtype,
/// runs them on the target and on the reference, and measures the worst error against the bound of
/// <see cref="Tolerances"/>. Every failure is a result, never an exception, so that <c>device-check</c> can print a row
/// per case and a test can assert one.
/// </summary>
/// <param name="Name">The case's name within its family (<c>conv2d/strided-grouped</c>).</param>
public abstract record ConformanceCase(string Name)
{
    /// <summary>The family: <c>op</c>, <c>step</c>, <c>repeat</c>, <c>replay</c> (targets may leave families out).</summary>
    public abstract string Family { get; }

    /// <summary>"family:name", unique in the kit.</summary>
    public string Id => $"{Family}:{Name}";

    /// <summary>Runs the case on <paramref name="target"/>, timing it; skipped when the target cannot run it, failed when it throws.</summary>
    public ConformanceResult Run(ConformanceTarget target)
    {
        ArgumentNullException.ThrowIfNull(target);
        var why = target.Unavailable is { } missing ? $"{target.Name} cannot run here: {missing}"
            : target.Omit(this) ?? NotApplicable(target);
        if (why is not null) return new ConformanceResult(Id, target.Name, Outcome.Skipped, 0, 0, why, TimeSpan.Zero);
        var clock = Stopwatch.StartNew();
        try
        {
            var v = Check(target);
            return new ConformanceResult(Id, target.Name, v.Holds ? Outcome.Passed : Outcome.Failed, v.Error, v.Tolerance, v.Detail, clock.Elapsed);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return new ConformanceResult(Id, target.Name, Outcome.Failed, double.NaN, 0, $"{e.GetType().Name}: {e.Message}", clock.Elapsed);
        }
    }

    /// <summary>Why the case does not apply to <paramref name="target"/> (it lacks a capability), or null.</summary>
    public virtual string? NotApplicable(ConformanceTarget target) => null;

    /// <summary>Runs the check; exceptions count as failures.</summary>
    protected abstract Verdict Check(ConformanceTarget target);

    /// <inheritdoc/>
    public override string ToString() => Id;
}
