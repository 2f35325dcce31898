namespace StaticGraph.Ops;

/// <summary>Whether a variable is trained by the optimizer or only assigned by state updates.</summary>
public enum VariableKind
{
    /// <summary>Trained: receives a gradient and an optimizer update.</summary>
    Parameter,
    /// <summary>Not trained: assigned by state updates (BN running statistics, optimizer buffers).</summary>
    State,
}

/// <summary>
/// A value that persists across steps: a parameter or a piece of state. Variables are identified
/// by their qualified name, which is what checkpoints and shared inference programs key on.
/// </summary>
public sealed class VariableOp(TensorType type, VariableKind kind, Initializer init, bool normOrBias) : Op
{
    /// <summary>The variable's type.</summary>
    public TensorType Type { get; } = type;

    /// <summary>Parameter or state.</summary>
    public VariableKind Kind { get; } = kind;

    /// <summary>How the first value is made.</summary>
    public Initializer Init { get; } = init;

    /// <summary>True for normalisation scales/shifts and biases, which optimizers may exempt from weight decay.</summary>
    public bool NormOrBias { get; } = normOrBias;

    /// <inheritdoc/>
    public override string Name => Kind == VariableKind.Parameter ? "parameter" : "state";

    /// <inheritdoc/>
    public override string Attributes => $"init={Init}" + (NormOrBias ? " norm_or_bias" : "");

    /// <inheritdoc/>
    public override TensorType InferType(IReadOnlyList<TensorType> inputs)
    {
        ExpectArity(inputs, 0);
        return Type;
    }

    /// <inheritdoc/>
    public override Node?[] Gradient(GraphBuilder b, Node node, Node outputGradient) => [];
}

public static partial class SourceBuilder
{
    /// <summary>A trained parameter named in the current scope.</summary>
    public static Node Parameter(this GraphBuilder b, string name, Initializer init, int[] dims, bool normOrBias = false, DType? dtype = null) =>
        b.ApplyNamed(new VariableOp(new TensorType(dtype ?? b.FloatType, new Shape(dims)), VariableKind.Parameter, init, normOrBias), name);

    /// <summary>A state variable (not trained) named in the current scope.</summary>
    public static Node State(this GraphBuilder b, string name, Initializer init, int[] dims, DType? dtype = null) =>
        b.ApplyNamed(new VariableOp(new TensorType(dtype ?? b.FloatType, new Shape(dims)), VariableKind.State, init, false), name);
}
