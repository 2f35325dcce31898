namespace StaticGraph.Ops;

/// <summary>
/// An elementwise function of two floating-point tensors of one dtype, broadcast NumPy-style.
/// Comparisons give 0/1 masks of the same dtype, so masks multiply like any tensor.
/// </summary>
public sealed class BinaryOp(BinaryFunction function) : Op
{
    /// <summary>The function applied to every pair of elements.</summary>
    public BinaryFunction Function { get; } = function;

    /// <inheritdoc/>
    public override string Name => Function switch
    {
        BinaryFunction.ReluBackward => "relu_backward",
        _ => Function.ToString().ToLowerInvariant(),
    };

    /// <inheritdoc/>
    public override TensorType InferType(IReadOnlyList<TensorType> inputs)
    {
        ExpectArity(inputs, 2);
        ExpectFloat(inputs[0], "the first operand");
        ExpectSameDType(inputs[0], inputs[1], "both operands");
        var shape = Shape.TryBroadcast(inputs[0].Shape, inputs[1].Shape)
            ?? throw Fail($"shapes {inputs[0].Shape} and {inputs[1].Shape} do not broadcast (each aligned dimension must match or be 1)");
        return new TensorType(inputs[0].DType, shape);
    }

    /// <inheritdoc/>
    public override Node?[] Gradient(GraphBuilder b, Node node, Node dy)
    {
        var (x, y) = (node.Inputs[0], node.Inputs[1]);
        (Node? dx, Node? dyIn) = Function switch
        {
            BinaryFunction.Add => (dy, dy),
            BinaryFunction.Sub => (dy, b.Neg(dy)),
            BinaryFunction.Mul => (b.Mul(dy, y), b.Mul(dy, x)),
            BinaryFunction.Div => (b.Div(dy, y), b.Neg(b.Div(b.Mul(dy, node), y))),
            // The subgradient at ties goes to the first operand, matching the kernels' choice.
            BinaryFunction.Max => (b.Mul(dy, b.GreaterEqualMask(x, y)), b.Mul(dy, b.Greater(y, x))),
            BinaryFunction.Min => (b.Mul(dy, b.GreaterEqualMask(y, x)), b.Mul(dy, b.Greater(x, y))),
            BinaryFunction.ReluBackward => ((Node?)null, b.Apply(new BinaryOp(BinaryFunction.ReluBackward), x, dy)),
            BinaryFunction.Greater or BinaryFunction.Equal => (null, null),
            _ => throw new NotSupportedException($"no gradient rule for {Function}"),
        };
        return [dx is null ? null : b.SumToShape(dx, x.Shape), dyIn is null ? null : b.SumToShape(dyIn, y.Shape)];
    }
}

/// <summary>Builder methods for the binary elementwise functions.</summary>
public static class BinaryBuilder
{
    /// <summary>a + b</summary>
    public static Node Add(this GraphBuilder b, Node x, Node y) => b.Apply(new BinaryOp(BinaryFunction.Add), x, y);
    /// <summary>a - b</summary>
    public static Node Sub(this GraphBuilder b, Node x, Node y) => b.Apply(new BinaryOp(BinaryFunction.Sub), x, y);
    /// <summary>a * b</summary>
    public static Node Mul(this GraphBuilder b, Node x, Node y) => b.Apply(new BinaryOp(BinaryFunction.Mul), x, y);
    /// <summary>a / b</summary>
    public static Node Div(this GraphBuilder b, Node x, Node y) => b.Apply(new BinaryOp(BinaryFunction.Div), x, y);
    /// <summary>max(a, b)</summary>
    public static Node Max(this GraphBuilder b, Node x, Node y) => b.Apply(new BinaryOp(BinaryFunction.Max), x, y);
    /// <summary>min(a, b)</summary>
    public static Node Min(this GraphBuilder b, Node x, Node y) => b.Apply(new BinaryOp(BinaryFunction.Min), x, y);
    /// <summary>1 where a &gt; b, else 0.</summary>
    public static Node Greater(this GraphBuilder b, Node x, Node y) => b.Apply(new BinaryOp(BinaryFunction.Greater), x, y);
    /// <summary>1 where a == b, else 0.</summary>
    public static Node Equal(this GraphBuilder b, Node x, Node y) => b.Apply(new BinaryOp(BinaryFunction.Equal), x, y);

    /// <summary>1 where a &gt;= b, else 0, as 1 - (b &gt; a).</summary>
    public static Node GreaterEqualMask(this GraphBuilder b, Node x, Node y) => b.Sub(b.Scalar(1, x.DType), b.Greater(y, x));

    /// <summary>x * s for a scalar s.</summary>
    public static Node Scale(this GraphBuilder b, Node x, double s) => b.Mul(x, b.Scalar(s, x.DType));

    /// <summary>x + s for a scalar s.</summary>
    public static Node AddScalar(this GraphBuilder b, Node x, double s) => b.Add(x, b.Scalar(s, x.DType));
}
