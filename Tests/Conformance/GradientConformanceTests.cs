using StaticGraph.Conformance;
using StaticGraph.Conformance.Ops;
using Xunit;

namespace StaticGraph.Tests.Conformance;

/// <summary>
/// The reference's own gradients: every differentiable op case, its autodiff gradient against central differences in
/// f64 with the one checker (<see cref="GradientChecker"/>). The targets' gradient programs are compared with these.
/// </summary>
public sealed class GradientConformanceTests
{
    public static TheoryData<string> Cases() => [.. OpCases.WithGradients.Select(c => c.Name)];

    [Theory]
    [MemberData(nameof(Cases))]
    public void Gradient(string name) => GradientChecker.Check(OpCases.Get(name).ToGradientProblem());
}
