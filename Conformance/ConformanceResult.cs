using System.Globalization;

namespace StaticGraph.Conformance;

/// <summary>How a case ended on a target.</summary>
public enum Outcome
{
    /// <summary>Within tolerance (or bitwise equal where that is the promise).</summary>
    Passed,

    /// <summary>Out of tolerance, or the case threw.</summary>
    Failed,

    /// <summary>Not run: the target cannot run here, or lacks what the case needs; the detail says why.</summary>
    Skipped,
}

/// <summary>What a case measured on a target: one row of <c>device-check</c>, one visible test.</summary>
/// <param name="Case">The case's id (<c>op:conv2d/strided-grouped</c>).</param>
/// <param name="Target">The target's name.</param>
/// <param name="Outcome">Passed, failed or skipped.</param>
/// <param name="Error">The worst error measured (0 for bitwise equality).</param>
/// <param name="Tolerance">The bound it was held to (0: bitwise).</param>
/// <param name="Detail">Where the worst error was, or why the case failed or was skipped.</param>
/// <param name="Elapsed">How long the case took on the target and the reference together.</param>
public sealed record ConformanceResult(string Case, string Target, Outcome Outcome, double Error, double Tolerance, string Detail, TimeSpan Elapsed)
{
    /// <summary>True when the case passed.</summary>
    public bool Passed => Outcome == Outcome.Passed;

    /// <summary>One report line: verdict, case, error against bound (or "bitwise"), time, and where the worst error was.</summary>
    public override string ToString()
    {
        var verdict = Outcome switch { Outcome.Passed => "ok  ", Outcome.Failed => "FAIL", _ => "skip" };
        var measured = Outcome == Outcome.Skipped ? "" : Tolerance == 0 && Error == 0 ? "bitwise" : string.Create(CultureInfo.InvariantCulture, $"{Error:E1} <= {Tolerance:G3}");
        var ms = string.Create(CultureInfo.InvariantCulture, $"{Elapsed.TotalMilliseconds:F0} ms");
        return $"{verdict} {Case,-52} {measured,-18} {ms,9}  {Detail}";
    }
}

/// <summary>What a case's check found: the worst error, the bound, and where.</summary>
/// <param name="Error">The worst error.</param>
/// <param name="Tolerance">The bound.</param>
/// <param name="Detail">Where the worst error was.</param>
public sealed record Verdict(double Error, double Tolerance, string Detail)
{
    /// <summary>Whether the error is within the bound (a NaN error is not).</summary>
    public bool Holds => Error <= Tolerance;

    /// <summary>The worse of two verdicts (by error relative to bound).</summary>
    public static Verdict Worse(Verdict? a, Verdict b) => a is null || Ratio(b) > Ratio(a) ? b : a;

    private static double Ratio(Verdict v) => v.Tolerance == 0 ? (v.Error == 0 ? 0 : double.PositiveInfinity) : double.IsNaN(v.Error) ? double.PositiveInfinity : v.Error / v.Tolerance;
}
