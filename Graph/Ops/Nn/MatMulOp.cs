namespace StaticGraph.Ops;

/// <summary>
/// The matrix product <c>op(A) · op(B)</c> of two floating-point matrices of one dtype, where
/// op transposes its operand when <see cref="TransposeA"/> or <see cref="TransposeB"/> is set:
/// A is stored [m, k] (or [k, m] transposed) and B [k, n] (or [n, k]); the output is [m, n].
/// Gradients are matrix products with transpose flags, so no transposed copy is ever made.
/// </summary>
public sealed class MatMulOp(bool transposeA, bool transposeB) : Op
{
    /// <summary>Use A^T: A is stored as [k, m].</summary>
    public bool TransposeA { get; } = transposeA;

    /// <summary>Use B^T: B is stored as [n, k].</summary>
    public bool TransposeB { get; } = transposeB;

    /// <inheritdoc/>
    public override string Name => "matmul";

    /// <inheritdoc/>
    public override string Attributes => (TransposeA, TransposeB) switch
    {
        (false, false) => "",
        (true, false) => "transpose_a",
        (false, true) => "transpose_b",
        (true, true) => "transpose_a transpose_b",
    };

    /// <inheritdoc/>
    public override TensorType InferType(IReadOnlyList<TensorType> inputs)
    {
        ExpectArity(inputs, 2);
        var (a, b) = (inputs[0], inputs[1]);
        ExpectFloat(a, "A");
        ExpectSameDType(a, b, "A and B");
        ExpectRank(a, 2, "A");
        ExpectRank(b, 2, "B");
        var (m, kA) = TransposeA ? (a.Shape[1], a.Shape[0]) : (a.Shape[0], a.Shape[1]);
        var (kB, n) = TransposeB ? (b.Shape[1], b.Shape[0]) : (b.Shape[0], b.Shape[1]);
        if (kA != kB)
        {
            throw Fail($"the inner dimensions differ: op(A) is [{m},{kA}] and op(B) is [{kB},{n}]"
                + (TransposeA || TransposeB ? $" (transpose_a={TransposeA}, transpose_b={TransposeB})" : ""));
        }
        return a with { Shape = new Shape(m, n) };
    }

    /// <inheritdoc/>
    public override Node?[] Gradient(GraphBuilder g, Node node, Node dc)
    {
        var (a, b) = (node.Inputs[0], node.Inputs[1]);
        // C = op(A) op(B) gives d op(A) = dC op(B)^T and d op(B) = op(A)^T dC; a stored transpose
        // transposes its gradient too, which swaps the operands and flips the flags.
        return (TransposeA, TransposeB) switch
        {
            (false, false) => [g.MatMul(dc, b, transposeB: true), g.MatMul(a, dc, transposeA: true)],
            (true, false) => [g.MatMul(b, dc, transposeB: true), g.MatMul(a, dc)],
            (false, true) => [g.MatMul(dc, b), g.MatMul(dc, a, transposeA: true)],
            (true, true) => [g.MatMul(b, dc, transposeA: true, transposeB: true), g.MatMul(dc, a, transposeA: true, transposeB: true)],
        };
    }
}

/// <summary>Builder method for matrix products.</summary>
public static class MatMulBuilder
{
    /// <summary>
    /// op(a) · op(b) for matrices, where op transposes when the flag is set: [m,k]·[k,n] gives [m,n].
    /// </summary>
    public static Node MatMul(this GraphBuilder b, Node x, Node y, bool transposeA = false, bool transposeB = false) =>
        b.Apply(new MatMulOp(transposeA, transposeB), x, y);
}
