using System.Globalization;

namespace StaticGraph.Ops;

/// <summary>
/// The momentum buffer update of SGD, fused: <c>v' = momentum*v + (g + weightDecay*p)</c>
/// (PyTorch's convention, where weight decay is added to the gradient). Inputs: v, g, p.
/// </summary>
public sealed class SgdVelocityOp(double momentum, double weightDecay) : Op
{
    /// <summary>Momentum factor.</summary>
    public double Momentum { get; } = momentum;

    /// <summary>L2 weight-decay factor added to the gradient.</summary>
    public double WeightDecay { get; } = weightDecay;

    /// <inheritdoc/>
    public override string Name => "sgd_velocity";

    /// <inheritdoc/>
    public override string Attributes => string.Create(CultureInfo.InvariantCulture, $"momentum={Momentum} wd={WeightDecay}");

    /// <inheritdoc/>
    public override TensorType InferType(IReadOnlyList<TensorType> inputs)
    {
        ExpectArity(inputs, 3);
        ExpectFloat(inputs[0], "the velocity");
        if (inputs[1] != inputs[0] || inputs[2] != inputs[0])
            throw Fail($"expected velocity, gradient and parameter of one type, got {inputs[0]}, {inputs[1]}, {inputs[2]}");
        return inputs[0];
    }

    /// <inheritdoc/>
    public override Node?[] Gradient(GraphBuilder b, Node node, Node dy) => throw new NotSupportedException("optimizer updates are not differentiable");
}
