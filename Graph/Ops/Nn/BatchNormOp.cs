using System.Globalization;

namespace StaticGraph.Ops;

/// <summary>
/// Batch normalisation per channel (axis 1) over every other axis of <c>x [N, C, ...]</c>:
/// <c>y = (x - mean) / sqrt(var + eps) * gamma + beta</c>. Inputs: x, gamma, beta, running mean,
/// running variance (the last four of shape [C]). Three outputs: y (x's type), then the mean and
/// the variance it normalised with, each <see cref="StatisticsType"/> [C]. In a
/// <see cref="ProgramMode.Training"/> program they are the batch mean and biased variance, computed
/// once here and reused by the backward pass (<see cref="BatchNormBackwardOp"/>) and the
/// running-statistics update (<see cref="BatchNormLayer"/>); in an
/// <see cref="ProgramMode.Inference"/> program they are the running statistics, which this op
/// only reads.
/// </summary>
/// <remarks>
/// The gradient has training semantics (it differentiates through the batch statistics), since a
/// gradient is built before the program's mode is known and only training programs need one.
/// </remarks>
public sealed class BatchNormOp(double eps = BatchNormOp.DefaultEpsilon) : MultiOutputOp
{
    /// <summary>PyTorch's default epsilon.</summary>
    public const double DefaultEpsilon = 1e-5;

    /// <summary>
    /// The dtype of the statistics outputs, whatever x's: both backends accumulate the per-channel sums in f64, and
    /// keeping the result in f64 lets the backward pass and the running-statistics update see exactly the values the
    /// forward pass normalised with; each rounds once, where it meets the element type. [C] values cost nothing.
    /// </summary>
    public const DType StatisticsType = DType.F64;

    /// <summary>Added to the variance before the square root.</summary>
    public double Eps { get; } = eps;

    /// <inheritdoc/>
    public override string Name => "batch_norm";

    /// <inheritdoc/>
    public override string Attributes => DescribeEps(Eps);

    /// <inheritdoc/>
    public override TensorType[] InferTypes(IReadOnlyList<TensorType> inputs)
    {
        ExpectArity(inputs, 5);
        ExpectEps(Eps);
        var channels = ExpectBatchOfChannels(inputs[0], "the input");
        ExpectChannelVector(inputs[0], inputs[1], channels, "gamma");
        ExpectChannelVector(inputs[0], inputs[2], channels, "beta");
        ExpectChannelVector(inputs[0], inputs[3], channels, "the running mean");
        ExpectChannelVector(inputs[0], inputs[4], channels, "the running variance");
        var statistics = new TensorType(StatisticsType, new Shape(channels));
        return [inputs[0], statistics, statistics];
    }

    /// <summary>
    /// One <see cref="BatchNormBackwardOp"/> gives dx, dgamma and dbeta from y's gradient. Gradients of the statistics
    /// outputs (when a loss reads them) add <c>dmean / M</c> and <c>dvar * 2 (x - mean) / M</c> to dx, M values per channel.
    /// </summary>
    public override Node?[] Gradient(GraphBuilder b, Node node, IReadOnlyList<Node?> outputGradients)
    {
        var (x, gamma) = (node.Inputs[0], node.Inputs[1]);
        var (mean, variance) = (node.Outputs[1], node.Outputs[2]);
        Node? dx = null, dgamma = null, dbeta = null;
        if (outputGradients[0] is { } dy)
        {
            var grads = b.ApplyMulti(new BatchNormBackwardOp(Eps), x, gamma, dy, mean, variance);
            (dx, dgamma, dbeta) = (grads[0], grads[1], grads[2]);
        }
        var count = (double)(x.Shape.ElementCount / x.Shape[1]);
        if (outputGradients[1] is { } dmean)
            dx = Accumulate(b, dx, b.Cast(b.Scale(PerChannel(b, dmean, x), 1 / count), x.DType), x);
        if (outputGradients[2] is { } dvar)
        {
            var centred = b.Sub(x, b.Cast(PerChannel(b, mean, x), x.DType));
            dx = Accumulate(b, dx, b.Mul(b.Cast(b.Scale(PerChannel(b, dvar, x), 2 / count), x.DType), centred), x);
        }
        // The running statistics are state, not functions of the loss's parameters.
        return [dx, dgamma, dbeta, null, null];
    }

    /// <summary>A [C] vector reshaped to [1, C, 1, ...] so that it broadcasts along x's channel axis.</summary>
    private static Node PerChannel(GraphBuilder b, Node v, Node x)
    {
        var dims = new int[x.Shape.Rank];
        Array.Fill(dims, 1);
        dims[1] = x.Shape[1];
        return b.Reshape(v, dims);
    }

    /// <summary>dx + term, broadcast to x's shape.</summary>
    private static Node Accumulate(GraphBuilder b, Node? dx, Node term, Node x) =>
        dx is null ? b.BroadcastTo(term, x.Shape) : b.Add(dx, term);

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

    /// <summary>
    /// <see cref="BatchNormRaw"/> with its statistics outputs: y, and the mean and biased variance per channel it
    /// normalised with (<see cref="BatchNormOp.StatisticsType"/> [C]; the running statistics in an inference program).
    /// </summary>
    public static (Node Y, Node Mean, Node Variance) BatchNormWithStatistics(this GraphBuilder b, Node x, Node gamma, Node beta, Node runningMean, Node runningVar,
        double eps = BatchNormOp.DefaultEpsilon)
    {
        var outputs = b.ApplyMulti(new BatchNormOp(eps), x, gamma, beta, runningMean, runningVar);
        return (outputs[0], outputs[1], outputs[2]);
    }
}
