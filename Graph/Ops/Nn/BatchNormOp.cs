using System.Globalization;

namespace StaticGraph.Ops;

/// <summary>
/// Batch normalisation per channel (axis 1) over every other axis of <c>x [N, C, ...]</c>:
/// <c>y = (x - mean) / sqrt(var + eps) * gamma + beta</c>. Inputs: x, gamma, beta, running mean,
/// running variance (the last four of shape [C]). In a <see cref="ProgramMode.Training"/> program
/// mean and var are the batch mean and biased variance; in an <see cref="ProgramMode.Inference"/>
/// program they are the running statistics. The running statistics are only read: their update
/// is a state update built from <see cref="ChannelMomentsOp"/>.
/// </summary>
/// <remarks>
/// The gradient has training semantics (it differentiates through the batch statistics), since a
/// gradient is built before the program's mode is known and only training programs need one.
/// </remarks>
public sealed class BatchNormOp(double eps = BatchNormOp.DefaultEpsilon) : Op
{
    /// <summary>PyTorch's default epsilon.</summary>
    public const double DefaultEpsilon = 1e-5;

    /// <summary>Added to the variance before the square root.</summary>
    public double Eps { get; } = eps;

    /// <inheritdoc/>
    public override string Name => "batch_norm";

    /// <inheritdoc/>
    public override string Attributes => DescribeEps(Eps);

    /// <inheritdoc/>
    public override TensorType InferType(IReadOnlyList<TensorType> inputs)
    {
        ExpectArity(inputs, 5);
        ExpectEps(Eps);
        var channels = ExpectBatchOfChannels(inputs[0], "the input");
        ExpectChannelVector(inputs[0], inputs[1], channels, "gamma");
        ExpectChannelVector(inputs[0], inputs[2], channels, "beta");
        ExpectChannelVector(inputs[0], inputs[3], channels, "the running mean");
        ExpectChannelVector(inputs[0], inputs[4], channels, "the running variance");
        return inputs[0];
    }

    /// <inheritdoc/>
    public override Node?[] Gradient(GraphBuilder b, Node node, Node dy)
    {
        var (x, gamma) = (node.Inputs[0], node.Inputs[1]);
        var dx = b.Apply(new BatchNormBackwardOp(Eps), x, gamma, dy);
        var dgamma = b.Apply(new BatchNormScaleGradOp(Eps), x, dy);
        var dbeta = b.Sum(dy, ReducedAxes(x.Shape));
        // The running statistics are state, not functions of the loss's parameters.
        return [dx, dgamma, dbeta, null, null];
    }

    /// <summary>Every axis but the channel axis 1: the axes the statistics are taken over.</summary>
    public static int[] ReducedAxes(Shape x) => Enumerable.Range(0, x.Rank).Where(a => a != 1).ToArray();

    /// <summary>"eps=1e-05", the listing form shared by the batch-normalisation ops.</summary>
    internal static string DescribeEps(double eps) => "eps=" + eps.ToString("g6", CultureInfo.InvariantCulture);

    /// <summary>Fails unless eps is positive and finite (a zero eps divides by zero on a constant channel).</summary>
    internal static void ExpectEps(double eps)
    {
        if (!(eps > 0) || !double.IsFinite(eps)) throw Fail($"expected eps > 0, got {eps.ToString(CultureInfo.InvariantCulture)}");
    }

    /// <summary>Checks that <paramref name="x"/> is a floating-point [N, C, ...] tensor and returns C.</summary>
    internal static int ExpectBatchOfChannels(TensorType x, string what)
    {
        ExpectFloat(x, what);
        if (x.Shape.Rank < 2) throw Fail($"expected {what} to be [N,C,...] of rank 2 or more, got {x}");
        return x.Shape[1];
    }

    /// <summary>Checks that a per-channel input is a vector [C] of the input's dtype.</summary>
    internal static void ExpectChannelVector(TensorType x, TensorType v, int channels, string what)
    {
        ExpectSameDType(x, v, $"the input and {what}");
        if (v.Shape.Rank != 1 || v.Shape[0] != channels)
            throw Fail($"expected {what} of shape [{channels}] (one value per channel of the input), got {v}");
    }
}

/// <summary>Builder methods for batch normalisation.</summary>
public static class BatchNormBuilder
{
    /// <summary>
    /// Batch normalisation of <paramref name="x"/> [N,C,...] with the given scale, shift and running
    /// statistics (all [C]); layers that create those variables and the running-statistics update
    /// are built on top of it.
    /// </summary>
    public static Node BatchNormRaw(this GraphBuilder b, Node x, Node gamma, Node beta, Node runningMean, Node runningVar, double eps = BatchNormOp.DefaultEpsilon) =>
        b.Apply(new BatchNormOp(eps), x, gamma, beta, runningMean, runningVar);
}
