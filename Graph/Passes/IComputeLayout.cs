namespace StaticGraph.Passes;

/// <summary>
/// How a backend computes a program's nodes, as far as their memory is concerned: which kernel computes each node, which
/// values are written to memory at all, and what each kernel reads. <see cref="MemoryPlan"/> lays out the arena from it.
/// Fusion changes all three: a node computed inside another node's kernel is written (or not) when that kernel runs, and a
/// value that is recomputed by its readers instead of stored is replaced, in what they read, by what it is recomputed from.
/// </summary>
public interface IComputeLayout
{
    /// <summary>The node at whose place in the program the kernel that computes <paramref name="n"/> runs (usually <paramref name="n"/>).</summary>
    Node ComputedBy(Node n);

    /// <summary>Whether <paramref name="n"/>'s value is written to memory, so that it needs a buffer.</summary>
    bool IsStored(Node n);

    /// <summary>The values <paramref name="n"/>'s computation reads from memory, at the place of <see cref="ComputedBy"/>.</summary>
    IReadOnlyList<Node> Reads(Node n);
}

/// <summary>
/// The layout of a backend that fuses chains into group kernels (<see cref="ElementwiseFusion"/>): a group's interior
/// members are computed by its root's kernel, are not stored, and read their inputs when the root runs.
/// </summary>
/// <param name="computedBy">The node whose kernel computes each node (itself when not fused).</param>
public sealed class GroupComputeLayout(Func<Node, Node> computedBy) : IComputeLayout
{
    /// <summary>Every node by its own kernel, reading its inputs, into its own buffer.</summary>
    public static GroupComputeLayout Unfused { get; } = new(n => n);

    /// <inheritdoc/>
    public Node ComputedBy(Node n) => computedBy(n);

    /// <inheritdoc/>
    public bool IsStored(Node n) => ReferenceEquals(computedBy(n), n);

    /// <inheritdoc/>
    public IReadOnlyList<Node> Reads(Node n) => n.Inputs;
}
