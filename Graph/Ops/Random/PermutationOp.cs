namespace StaticGraph.Ops;

/// <summary>
/// A random permutation of 0 .. n-1 as i32[n]: the batch order Mixup and CutMix pair images by.
/// <para>Bit recipe (Fisher–Yates, one Philox block per swap): start from a[k] = k; for
/// i = n-1 down to 1, (X0, X1, X2, X3) = Philox(key = seed, counter = (i, 0, stream, step)),
/// r = X0 &lt;&lt; 32 | X1 (64 bits), j = the high 64 bits of the 128-bit product r * (i + 1)
/// (CUDA: __umul64hi), so j is uniform on 0 .. i up to a bias below (i + 1) / 2^64; swap a[i] and
/// a[j]. The swaps are inherently sequential; the CPU kernel runs on one thread, so the result
/// does not depend on the thread count.</para>
/// </summary>
public sealed class PermutationOp : RandomOp
{
    /// <summary>A permutation of 0 .. <paramref name="n"/>-1 from stream <paramref name="stream"/>.</summary>
    public PermutationOp(uint stream, int n) : base(stream) => N = n;

    /// <summary>The number of elements permuted.</summary>
    public int N { get; }

    /// <inheritdoc/>
    public override string Name => "permutation";

    /// <inheritdoc/>
    protected override string DrawAttributes => $"n={N}";

    /// <inheritdoc/>
    public override TensorType InferType(IReadOnlyList<TensorType> inputs)
    {
        ExpectArity(inputs, 0);
        if (N < 1) throw Fail($"expected n >= 1 elements to permute, got {N}");
        return new TensorType(DType.I32, new Shape(N));
    }
}

public static partial class RandomBuilder
{
    /// <summary>A random permutation of 0 .. <paramref name="n"/>-1 (i32[n]), named <paramref name="name"/> in the current scope.</summary>
    public static Node Permutation(this GraphBuilder b, string name, int n)
    {
        var stream = RandomOp.StreamFor(b, name);
        return b.ApplyNamed(new PermutationOp(stream, n), name);
    }
}
