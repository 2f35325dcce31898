namespace StaticGraph.Ops;

/// <summary>
/// Moves the last two axes (H, W) of a tensor by integer offsets read at run time, filling with
/// zeros: <c>y[n, ..., i, j] = x[n, ..., i - ty, j - tx]</c> where that lies inside x, else 0. The
/// offsets are i32 [M, 2] rows (ty, tx), one row shared by the whole batch (M = 1) or one per
/// image (M = N); an offset of H or more (W or more) leaves nothing. With <see cref="Inverse"/>
/// the offsets are negated. RICAP places its crops with it. The gradient is the inverse
/// translation of the output's gradient (its exact adjoint: both fill with zeros); the offsets
/// get none.
/// </summary>
public sealed class TranslateOp(bool inverse = false) : Op
{
    /// <summary>Whether the offsets are negated (moves by (-ty, -tx)).</summary>
    public bool Inverse { get; } = inverse;

    /// <inheritdoc/>
    public override string Name => "translate";

    /// <inheritdoc/>
    public override string Attributes => Inverse ? "inverse" : "";

    /// <inheritdoc/>
    public override TensorType InferType(IReadOnlyList<TensorType> inputs)
    {
        ExpectArity(inputs, 2);
        var (x, offsets) = (inputs[0], inputs[1]);
        if (x.Shape.Rank < 3) throw Fail($"expected a batch [N, ..., H, W] of rank 3 or more, got {x}");
        var n = x.Shape[0];
        if (offsets.DType != DType.I32 || offsets.Shape.Rank != 2 || offsets.Shape[1] != 2 || (offsets.Shape[0] != 1 && offsets.Shape[0] != n))
            throw Fail($"expected offsets i32[1,2] or i32[{n},2] (ty, tx per row), got {offsets}");
        return x;
    }

    /// <inheritdoc/>
    public override Node?[] Gradient(GraphBuilder b, Node node, Node dy) =>
        node.Inputs[0].DType.IsFloat() ? [b.Apply(new TranslateOp(!Inverse), dy, node.Inputs[1]), null] : [null, null];
}

/// <summary>Builder method for <see cref="TranslateOp"/>.</summary>
public static class TranslateBuilder
{
    /// <summary>
    /// <paramref name="x"/> [N, ..., H, W] moved by <paramref name="offsets"/> (i32 [1, 2] or [N, 2]
    /// rows of (ty, tx)) along its last two axes, zero-filled: y[..., i, j] = x[..., i - ty, j - tx].
    /// </summary>
    public static Node Translate(this GraphBuilder b, Node x, Node offsets) => b.Apply(new TranslateOp(), x, offsets);
}
