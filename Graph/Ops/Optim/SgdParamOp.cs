using System.Globalization;

namespace StaticGraph.Ops;

/// <summary>
/// The parameter update of SGD, fused. Inputs: p, g, v' (the updated velocity), lr (scalar).
/// Plain momentum: <c>p' = p - lr*v'</c>; Nesterov: <c>p' = p - lr*(g + wd*p + momentum*v')</c>.
/// </summary>
public sealed class SgdParamOp(double momentum, double weightDecay, bool nesterov) : Op
{
    /// <summary>Momentum factor (used by Nesterov's look-ahead).</summary>
    public double Momentum { get; } = momentum;

    /// <summary>L2 weight-decay factor.</summary>
    public double WeightDecay { get; } = weightDecay;

    /// <summary>Nesterov's variant.</summary>
    public bool Nesterov { get; } = nesterov;

    /// <inheritdoc/>
    public override string Name => "sgd_param";

    /// <inheritdoc/>
    public override string Attributes => string.Create(CultureInfo.InvariantCulture, $"momentum={Momentum} wd={WeightDecay}{(Nesterov ? " nesterov" : "")}");

    /// <inheritdoc/>
    public override TensorType InferType(IReadOnlyList<TensorType> inputs)
    {
        ExpectArity(inputs, 4);
        ExpectFloat(inputs[0], "the parameter");
        if (inputs[1] != inputs[0] || inputs[2] != inputs[0])
            throw Fail($"expected parameter, gradient and velocity of one type, got {inputs[0]}, {inputs[1]}, {inputs[2]}");
        if (inputs[3].Shape.Rank != 0 || inputs[3].DType != inputs[0].DType)
            throw Fail($"expected a scalar learning rate of dtype {inputs[0].DType.ShortName()}, got {inputs[3]}");
        return inputs[0];
    }

    /// <inheritdoc/>
    public override Node?[] Gradient(GraphBuilder b, Node node, Node dy) => throw new NotSupportedException("optimizer updates are not differentiable");
}
