namespace StaticGraph.Ops;

/// <summary>
/// The mean over the ranks of a data-parallel run: every rank's input is summed element by element across the ranks and
/// divided by <see cref="World"/>, and every rank gets the same result. Identity type. The graph only names which bucket
/// this is; the backend binds the node to the communicator it is compiled with (MPI on the CPU, NCCL on the GPU), and a
/// backend compiled without one refuses the program. Inserted by <see cref="DataParallel"/> on the gradients.
/// </summary>
public sealed class AllReduceOp : Op
{
    /// <summary>Creates the op for bucket <paramref name="bucket"/> of a run of <paramref name="world"/> ranks.</summary>
    public AllReduceOp(int bucket, int world)
    {
        if (world < 2) throw new ArgumentOutOfRangeException(nameof(world), $"an all-reduce needs at least 2 ranks, got {world}: a world of one reduces nothing");
        ArgumentOutOfRangeException.ThrowIfNegative(bucket);
        Bucket = bucket;
        World = world;
    }

    /// <summary>Which bucket of the step this node reduces (its position in the step's sequence of reductions).</summary>
    public int Bucket { get; }

    /// <summary>The number of ranks the program was built for; the communicator must have as many.</summary>
    public int World { get; }

    /// <inheritdoc/>
    public override string Name => "all_reduce";

    /// <inheritdoc/>
    public override string Attributes => $"bucket={Bucket} world={World} mean";

    /// <inheritdoc/>
    public override TensorType InferType(IReadOnlyList<TensorType> inputs)
    {
        ExpectArity(inputs, 1);
        ExpectFloat(inputs[0], "the reduced value");
        return inputs[0];
    }

    /// <summary>
    /// y_r = (1/N)·Σ_q x_q on every rank r, so ∂(Σ_r L_r)/∂x_q = (1/N)·Σ_r dy_r: the gradient is the same mean all-reduce of
    /// the incoming gradient.
    /// </summary>
    public override Node?[] Gradient(GraphBuilder b, Node node, Node dy) => [b.Apply(new AllReduceOp(Bucket, World), dy)];
}
