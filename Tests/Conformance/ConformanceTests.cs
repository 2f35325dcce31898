using StaticGraph.Conformance;
using Xunit;

namespace StaticGraph.Tests.Conformance;

/// <summary>
/// The conformance kit on one target, one visible test per case: every op, two runs bitwise equal, graph replay equal to
/// eager issue (and, in <see cref="StepConformanceTests"/>, every whole training step). A case the target cannot run (no
/// GPU, no host compiler, no graph replay) reports skipped with the reason, never passed. Each target is a class deriving
/// from one of these, named <c>...ConformanceTests</c> so that the group can be listed and run together.
/// </summary>
public abstract class ConformanceTests
{
    /// <summary>The target every case of the class runs on.</summary>
    protected abstract ConformanceTarget Target { get; }

    public static TheoryData<string> OpCases() => Ids("op");

    public static TheoryData<string> RepeatCases() => Ids("repeat");

    public static TheoryData<string> ReplayCases() => Ids("replay");

    [Theory]
    [MemberData(nameof(OpCases))]
    public void Op(string id) => Check(id);

    [Theory]
    [MemberData(nameof(RepeatCases))]
    public void Repeat(string id) => Check(id);

    [Theory]
    [MemberData(nameof(ReplayCases))]
    public void Replay(string id) => Check(id);

    /// <summary>Runs case <paramref name="id"/> on the target: skipped with its reason, or asserted to pass.</summary>
    protected void Check(string id) => Check(Target, id);

    /// <summary>Runs case <paramref name="id"/> on <paramref name="target"/>: skipped with its reason, or asserted to pass.</summary>
    internal static void Check(ConformanceTarget target, string id)
    {
        var result = ConformanceKit.Get(id).Run(target);
        TestContext.Current.SendDiagnosticMessage($"{target.Name}: {result}");
        if (result.Outcome == Outcome.Skipped) Assert.Skip(result.Detail);
        Assert.True(result.Passed, $"{target.Name}: {result}");
    }

    private static TheoryData<string> Ids(string family) => [.. ConformanceKit.Family(family).Select(c => c.Id)];
}

/// <summary>The kit's cases including the whole training steps and inference programs, for every target but the reference itself.</summary>
public abstract class StepConformanceTests : ConformanceTests
{
    public static TheoryData<string> StepCases() => [.. ConformanceKit.Family("step").Select(c => c.Id)];

    public static TheoryData<string> InferenceCases() => [.. ConformanceKit.Family("inference").Select(c => c.Id)];

    [Theory]
    [MemberData(nameof(StepCases))]
    public void Step(string id) => Check(id);

    [Theory]
    [MemberData(nameof(InferenceCases))]
    public void Inference(string id) => Check(id);
}
