namespace StaticGraph.Ops;

/// <summary>An elementwise function of one floating-point tensor; the output has the input's type.</summary>
public sealed class UnaryOp(UnaryFunction function) : Op
{
    /// <summary>The function applied to every element.</summary>
    public UnaryFunction Function { get; } = function;

    /// <inheritdoc/>
    public override string Name => Function.ToString().ToLowerInvariant();

    /// <inheritdoc/>
    public override TensorType InferType(IReadOnlyList<TensorType> inputs)
    {
        ExpectArity(inputs, 1);
        ExpectFloat(inputs[0], "the operand");
        return inputs[0];
    }

    /// <inheritdoc/>
    public override Node?[] Gradient(GraphBuilder b, Node node, Node dy)
    {
        var x = node.Inputs[0];
        Node? dx = Function switch
        {
            UnaryFunction.Neg => b.Neg(dy),
            UnaryFunction.Exp => b.Mul(dy, node),
            UnaryFunction.Log => b.Div(dy, x),
            UnaryFunction.Sqrt => b.Div(b.Mul(dy, b.Scalar(0.5, x.DType)), node),
            UnaryFunction.Reciprocal => b.Neg(b.Mul(dy, b.Square(node))),
            UnaryFunction.Square => b.Mul(dy, b.Mul(x, b.Scalar(2, x.DType))),
            UnaryFunction.Abs => b.Mul(dy, b.Sign(x)),
            // The mask reads relu's output (y > 0 exactly where x > 0), so relu's input need not outlive the forward pass:
            // batch norm's output, say, is freed as soon as relu has read it, instead of staying until the backward pass.
            UnaryFunction.Relu => b.Apply(new BinaryOp(BinaryFunction.ReluBackward), node, dy),
            UnaryFunction.Sigmoid => b.Mul(dy, b.Mul(node, b.Sub(b.Scalar(1, x.DType), node))),
            UnaryFunction.Tanh => b.Mul(dy, b.Sub(b.Scalar(1, x.DType), b.Square(node))),
            UnaryFunction.Step or UnaryFunction.Sign => null, // piecewise constant: zero almost everywhere
            _ => throw new NotSupportedException($"no gradient rule for {Function}"),
        };
        return [dx];
    }
}

/// <summary>Builder methods for the unary elementwise functions.</summary>
public static class UnaryBuilder
{
    /// <summary>-x</summary>
    public static Node Neg(this GraphBuilder b, Node x) => b.Apply(new UnaryOp(UnaryFunction.Neg), x);
    /// <summary>e^x</summary>
    public static Node Exp(this GraphBuilder b, Node x) => b.Apply(new UnaryOp(UnaryFunction.Exp), x);
    /// <summary>ln x</summary>
    public static Node Log(this GraphBuilder b, Node x) => b.Apply(new UnaryOp(UnaryFunction.Log), x);
    /// <summary>sqrt x</summary>
    public static Node Sqrt(this GraphBuilder b, Node x) => b.Apply(new UnaryOp(UnaryFunction.Sqrt), x);
    /// <summary>1/x</summary>
    public static Node Reciprocal(this GraphBuilder b, Node x) => b.Apply(new UnaryOp(UnaryFunction.Reciprocal), x);
    /// <summary>x*x</summary>
    public static Node Square(this GraphBuilder b, Node x) => b.Apply(new UnaryOp(UnaryFunction.Square), x);
    /// <summary>|x|</summary>
    public static Node Abs(this GraphBuilder b, Node x) => b.Apply(new UnaryOp(UnaryFunction.Abs), x);
    /// <summary>max(x, 0)</summary>
    public static Node Relu(this GraphBuilder b, Node x) => b.Apply(new UnaryOp(UnaryFunction.Relu), x);
    /// <summary>1 where x &gt; 0, else 0.</summary>
    public static Node Step(this GraphBuilder b, Node x) => b.Apply(new UnaryOp(UnaryFunction.Step), x);
    /// <summary>sign(x)</summary>
    public static Node Sign(this GraphBuilder b, Node x) => b.Apply(new UnaryOp(UnaryFunction.Sign), x);
    /// <summary>The logistic function.</summary>
    public static Node Sigmoid(this GraphBuilder b, Node x) => b.Apply(new UnaryOp(UnaryFunction.Sigmoid), x);
    /// <summary>tanh x</summary>
    public static Node Tanh(this GraphBuilder b, Node x) => b.Apply(new UnaryOp(UnaryFunction.Tanh), x);
}
