using static StaticGraph.Conformance.Ops.CaseHelpers;

namespace StaticGraph.Conformance.Ops;

/// <summary>The fused SGD updates, with constants that are not exact in binary so that a wrongly rounded literal shows.</summary>
internal static class OptimizerCases
{
    /// <summary>Every case of the family.</summary>
    public static IEnumerable<OpCase> All()
    {
        CaseInput[] inputs = [In("p", [5, 7]), In("g", [5, 7]), In("v", [5, 7]), CaseInput.Data("lr", [], Values.Fixed(0.1))];
        yield return Case<SgdVelocityOp>("sgd_velocity", inputs[..3], (b, x) => b.Apply(new SgdVelocityOp(0.9, 3e-4), x[2], x[1], x[0])).ForwardOnly();
        foreach (var nesterov in new[] { false, true })
            yield return Case<SgdParamOp>(nesterov ? "sgd_param/nesterov" : "sgd_param", inputs,
                (b, x) => b.Apply(new SgdParamOp(0.9, 3e-4, nesterov), x[0], x[1], b.Apply(new SgdVelocityOp(0.9, 3e-4), x[2], x[1], x[0]), x[3])).ForwardOnly();
    }
}
