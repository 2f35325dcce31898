namespace StaticGraph;

/// <summary>
/// Stochastic gradient descent with momentum (optionally Nesterov's) and L2 weight decay, as two
/// fused elementwise ops per parameter. With <c>ExemptNormAndBias</c>, BN scales/shifts and
/// biases get no weight decay.
/// </summary>
public sealed record Sgd(double Momentum = 0.9, double WeightDecay = 5e-4, bool Nesterov = true, bool ExemptNormAndBias = false) : IOptimizer
{
    /// <summary>SGD with Nesterov momentum.</summary>
    public static Sgd WithNesterov(double momentum = 0.9, double weightDecay = 5e-4) => new(momentum, weightDecay, true);

    /// <summary>SGD with classical momentum.</summary>
    public static Sgd WithMomentum(double momentum = 0.9, double weightDecay = 5e-4) => new(momentum, weightDecay, false);

    /// <inheritdoc/>
    public IEnumerable<StateUpdate> Update(GraphBuilder b, Node parameter, Node gradient, Node lr)
    {
        var decay = ExemptNormAndBias && parameter.Op is VariableOp { NormOrBias: true } ? 0 : WeightDecay;
        var velocity = b.State(parameter.Name + ".momentum", Initializer.Zeros, parameter.Shape.ToArray(), parameter.DType);
        var newVelocity = b.Apply(new SgdVelocityOp(Momentum, decay), velocity, gradient, parameter);
        var newParameter = b.Apply(new SgdParamOp(Momentum, decay, Nesterov), parameter, gradient, newVelocity, lr);
        return [new StateUpdate(velocity, newVelocity), new StateUpdate(parameter, newParameter)];
    }
}
