namespace StaticGraph.Ops;

/// <summary>Identity in the forward pass; no gradient flows through it. Custom backward rules are built with it.</summary>
public sealed class StopGradientOp : Op
{
    /// <inheritdoc/>
    public override string Name => "stop_gradient";

    /// <inheritdoc/>
    public override int? AliasOf(ProgramMode mode) => 0;

    /// <inheritdoc/>
    public override TensorType InferType(IReadOnlyList<TensorType> inputs)
    {
        ExpectArity(inputs, 1);
        return inputs[0];
    }

    /// <inheritdoc/>
    public override Node?[] Gradient(GraphBuilder b, Node node, Node dy) => [null];
}

/// <summary>Builder method for <see cref="StopGradientOp"/>.</summary>
public static class StopGradientBuilder
{
    /// <summary>x, with no gradient flowing back through it.</summary>
    public static Node StopGradient(this GraphBuilder b, Node x) => b.Apply(new StopGradientOp(), x);
}
