using static StaticGraph.Conformance.Ops.CaseHelpers;

namespace StaticGraph.Conformance.Ops;

/// <summary>The ops that alias an input: stop_gradient, mode_select in either mode, reshape.</summary>
internal static class ControlCases
{
    /// <summary>Every case of the family.</summary>
    public static IEnumerable<OpCase> All()
    {
        // The gradient stops by design, so central differences of the forward would disagree: forward only.
        yield return Case<StopGradientOp>("stop_gradient", [In("x", [3, 4])], (b, x) => b.Mul(x[0], b.StopGradient(b.Tanh(x[0])))).ForwardOnly();
        yield return Case<ModeSelectOp>("mode_select/training", [In("a", [3, 4]), In("b", [3, 4])],
            (b, x) => b.ModeSelect(b.Scale(x[0], 2), b.Tanh(x[1]))).Training();
        // In inference the value is the second input's while the gradient rule serves training: forward only.
        yield return Case<ModeSelectOp>("mode_select/inference", [In("a", [3, 4]), In("b", [3, 4])],
            (b, x) => b.ModeSelect(b.Scale(x[0], 2), b.Tanh(x[1]))).ForwardOnly();
        // A computed value reshaped (an alias of an arena buffer), not only a fed input.
        yield return Case<ReshapeOp>("reshape", [In("x", [2, 3, 4])], (b, x) => b.Reshape(b.Sigmoid(x[0]), 4, 6));
    }
}
