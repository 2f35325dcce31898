using StaticGraph.Conformance;
using StaticGraph.Conformance.Ops;
using StaticGraph.Conformance.Steps;
using StaticGraph.Models;
using Xunit;

namespace StaticGraph.Tests.Conformance;

/// <summary>What the kit must cover: every op class of the library, every zoo model, every objective; and its ids are unique.</summary>
public sealed class KitConformanceTests
{
    [Fact]
    public void Every_op_class_and_every_unary_and_binary_function_has_a_conformance_case()
    {
        var assemblies = new[] { typeof(Op).Assembly, typeof(StaticGraph.Regularizers.ShakeShake).Assembly };
        var missing = OpCases.Uncovered(assemblies);
        Assert.True(missing.Count == 0, "ops without a conformance case (add one to its family under Conformance/Ops): " + string.Join(", ", missing));
    }

    [Fact]
    public void Every_zoo_model_and_every_objective_has_a_step_case()
    {
        var steps = ConformanceKit.Family("step").Select(c => c.Name).ToHashSet();
        Assert.All(ModelZoo.Names, m => Assert.Contains(m, steps));
        Assert.All(StepPrograms.Objectives(), o => Assert.Contains($"resnet-preact-20+{o.Name}", steps));
    }

    [Fact]
    public void Case_ids_are_unique()
    {
        var duplicates = ConformanceKit.Cases.GroupBy(c => c.Id).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        Assert.True(duplicates.Count == 0, "duplicate case ids: " + string.Join(", ", duplicates));
    }
}
