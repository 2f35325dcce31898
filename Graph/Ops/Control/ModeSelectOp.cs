namespace StaticGraph.Ops;

/// <summary>
/// The one place where a graph differs between training and inference: the output is the first
/// input in a training program and the second in an inference program. It aliases the chosen input,
/// so the other one is pruned and never computed. Regularizers are built on it (training draws,
/// inference takes the expectation).
/// </summary>
public sealed class ModeSelectOp : Op
{
    /// <inheritdoc/>
    public override string Name => "mode_select";

    /// <inheritdoc/>
    public override int? AliasOf(ProgramMode mode) => mode == ProgramMode.Training ? 0 : 1;

    /// <inheritdoc/>
    public override TensorType InferType(IReadOnlyList<TensorType> inputs)
    {
        ExpectArity(inputs, 2);
        if (inputs[0] != inputs[1]) throw Fail($"expected the training and inference values to have one type, got {inputs[0]} and {inputs[1]}");
        return inputs[0];
    }

    /// <inheritdoc/>
    public override Node?[] Gradient(GraphBuilder b, Node node, Node dy) => [dy, null]; // gradients flow in training only
}

/// <summary>Builder method for <see cref="ModeSelectOp"/>.</summary>
public static class ModeSelectBuilder
{
    /// <summary><paramref name="training"/> in training programs, <paramref name="inference"/> in inference programs.</summary>
    public static Node ModeSelect(this GraphBuilder b, Node training, Node inference) => b.Apply(new ModeSelectOp(), training, inference);
}
