using static StaticGraph.Conformance.Ops.CaseHelpers;

namespace StaticGraph.Conformance.Ops;

/// <summary>Inputs, constants and variables: fed values, uploaded values and values initialised from Philox by name.</summary>
internal static class SourceCases
{
    /// <summary>Every case of the family.</summary>
    public static IEnumerable<OpCase> All()
    {
        yield return Case<InputOp>("input", [In("x", [3, 5])], (_, x) => x[0]);
        yield return Case<ConstantOp>("constant", [In("x", [2, 3])], (b, x) => b.Mul(x[0], b.Constant([0.5, -1, 2, 0.25, 3, -0.125], b.FloatType, 2, 3)));
        yield return Cases<VariableOp>("variable/initialisers", [In("x", [4, 5])], (b, x) =>
        [
            b.Mul(x[0], b.Parameter("uniform", Initializer.Uniform(0.5), [4, 5])),
            b.Mul(x[0], b.Parameter("normal", Initializer.HeNormal(7), [4, 5])),
            b.Add(x[0], b.State("constant", Initializer.Constant(0.1), [4, 5])),
        ]);
    }
}
