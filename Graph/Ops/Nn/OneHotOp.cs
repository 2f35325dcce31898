namespace StaticGraph.Ops;

/// <summary>
/// One-hot rows of class indices: i32 [N] to [N, <see cref="Classes"/>] of a floating-point
/// <see cref="DType"/>, row n being 1 at column labels[n] and 0 elsewhere (the hard targets that
/// Mixup, CutMix, RICAP and label smoothing blend). A label outside [0, K) is a run-time error
/// naming the row. No gradient flows to the indices.
/// </summary>
public sealed class OneHotOp(int classes, DType dtype) : Op
{
    /// <summary>K, the number of classes (columns).</summary>
    public int Classes { get; } = classes;

    /// <summary>The output's dtype.</summary>
    public DType DType { get; } = dtype;

    /// <inheritdoc/>
    public override string Name => "one_hot";

    /// <inheritdoc/>
    public override string Attributes => $"classes={Classes} to={DType.ShortName()}";

    /// <inheritdoc/>
    public override TensorType InferType(IReadOnlyList<TensorType> inputs)
    {
        ExpectArity(inputs, 1);
        var labels = inputs[0];
        if (labels.DType != StaticGraph.DType.I32 || labels.Shape.Rank != 1)
            throw Fail($"expected class indices i32[N], got {labels}");
        if (Classes < 1) throw Fail($"expected at least one class, got {Classes}");
        if (!DType.IsFloat()) throw Fail($"expected a floating-point output dtype, got {DType.ShortName()}");
        return new TensorType(DType, new Shape(labels.Shape[0], Classes));
    }

    /// <inheritdoc/>
    public override Node?[] Gradient(GraphBuilder b, Node node, Node outputGradient) => NoGradient(node);
}

/// <summary>Builder method for <see cref="OneHotOp"/>.</summary>
public static class OneHotBuilder
{
    /// <summary>
    /// The one-hot rows [N, <paramref name="classes"/>] of <paramref name="labels"/> (i32 [N]); the
    /// dtype is the builder's float type unless given.
    /// </summary>
    public static Node OneHot(this GraphBuilder b, Node labels, int classes, DType? dtype = null) =>
        b.Apply(new OneHotOp(classes, dtype ?? b.FloatType), labels);
}
