using static StaticGraph.Conformance.Ops.CaseHelpers;

namespace StaticGraph.Conformance.Ops;

/// <summary>Unary and binary functions (every one, under broadcasting), where and cast.</summary>
internal static class ElementwiseCases
{
    /// <summary>Every case of the family.</summary>
    public static IEnumerable<OpCase> All()
    {
        foreach (var f in Enum.GetValues<UnaryFunction>())
        {
            var values = f switch
            {
                UnaryFunction.Log or UnaryFunction.Sqrt or UnaryFunction.Reciprocal => Values.Positive,
                UnaryFunction.Abs or UnaryFunction.Relu or UnaryFunction.Step or UnaryFunction.Sign => Values.AwayFromZero,
                _ => Values.Normal,
            };
            yield return Case<UnaryOp>(new UnaryOp(f).Name, [In("x", [3, 4, 5], values)], (b, x) => b.Apply(new UnaryOp(f), x[0]));
        }
        foreach (var f in Enum.GetValues<BinaryFunction>())
        {
            // Max, min, greater and equal have kinks where the operands meet: values near multiples of 0.1 against values
            // near odd multiples of 0.05 never come within 0.03 of each other, however they broadcast.
            var (a, c) = f switch
            {
                BinaryFunction.Div => (Values.Normal, Values.Positive),
                BinaryFunction.Max or BinaryFunction.Min or BinaryFunction.Greater or BinaryFunction.Equal => (Separated(0), Separated(0.05)),
                BinaryFunction.ReluBackward => (Values.AwayFromZero, Values.Normal),
                _ => (Values.Normal, Values.Normal),
            };
            yield return Case<BinaryOp>(new BinaryOp(f).Name, [In("a", [3, 4, 5], a), In("b", [4, 1], c)], (b, x) => b.Apply(new BinaryOp(f), x[0], x[1]));
        }
        yield return Case<BinaryOp>("add/scalar-and-rank-4", [In("a", [2, 3, 1, 4]), In("b", [])], (b, x) => b.Add(x[0], x[1]));
        yield return Case<BinaryOp>("mul/both-broadcast", [In("a", [2, 1, 5]), In("b", [3, 1])], (b, x) => b.Mul(x[0], x[1]));
        yield return Case<BinaryOp>("equal/ties", [CaseInput.Data("a", [4, 6], Values.Ties), CaseInput.Data("b", [6], Values.Ties)],
            (b, x) => b.Equal(x[0], x[1])).ForwardOnly();
        yield return Case<WhereOp>("where", [CaseInput.Data("mask", [4, 1], Values.Integers(2)), In("a", [3, 4, 5]), In("b", [5])],
            (b, x) => b.Where(x[0], x[1], x[2]));
        yield return Case<CastOp>("cast/to-i32-truncates", [CaseInput.Data("x", [8], Values.Fixed(-2.5, -1.5, -0.5, 0, 0.5, 1.5, 2.99, -7.01))],
            (b, x) => b.Cast(x[0], DType.I32)).ForwardOnly();
        yield return Case<CastOp>("cast/from-i32", [CaseInput.Ints("x", [2, 5], Values.Integers(40))], (b, x) => b.Cast(x[0], b.FloatType));
        // The builder's Cast returns x itself for the same dtype; the op is applied directly to get a cast node.
        yield return Case<CastOp>("cast/to-f64", [In("x", [3, 4])], (b, x) => b.Apply(new CastOp(DType.F64), b.Tanh(x[0])));
    }

    /// <summary>Values near multiples of 0.1 plus <paramref name="offset"/> (up to 0.02 above).</summary>
    private static ValueSource Separated(double offset) => (count, seed) =>
    {
        var random = new System.Random(seed);
        var values = new double[count];
        for (var i = 0; i < count; i++) values[i] = 0.1 * random.Next(-19, 20) + offset + 0.02 * random.NextDouble();
        return values;
    };
}
