namespace StaticGraph;

/// <summary>
/// The batch-normalisation layer: scale and shift parameters, running statistics as state, and
/// their update (an exponential moving average of the batch moments) registered as a state update
/// that training programs apply after each step. The update reads the batch statistics the forward
/// op computed (its mean and variance outputs), so a step takes them once per layer.
/// </summary>
public static class BatchNormLayer
{
    /// <summary>BN over the channels of [N,C,H,W]; PyTorch's momentum convention (new = (1-m)*old + m*batch).</summary>
    public static Node BatchNorm(this GraphBuilder b, Node x, double momentum = 0.1, double eps = 1e-5, string name = "bn")
    {
        if (x.Shape.Rank != 4) throw new GraphBuildException($"batch norm layer '{b.Qualify(name)}': expected an input [N,C,H,W], got {x}: {x.Type}");
        var c = x.Shape[1];
        var perChannel = x.Shape.ElementCount / c;
        if (perChannel < 2)
            throw new GraphBuildException($"batch norm layer '{b.Qualify(name)}': the running variance (unbiased) needs at least 2 values per channel, the input {x}: {x.Type} has {perChannel}");
        using var _ = b.FreshScope(name);
        var gamma = b.Parameter("weight", Initializer.Ones, [c], normOrBias: true, dtype: x.DType);
        var beta = b.Parameter("bias", Initializer.Zeros, [c], normOrBias: true, dtype: x.DType);
        var runningMean = b.State("running_mean", Initializer.Zeros, [c], x.DType);
        var runningVar = b.State("running_var", Initializer.Ones, [c], x.DType);
        var (y, batchMean, batchVar) = b.BatchNormWithStatistics(x, gamma, beta, runningMean, runningVar, eps);

        // PyTorch's running_var is the unbiased variance: biased * M / (M - 1), in the statistics' f64, rounded once.
        var unbiased = b.Div(b.Scale(batchVar, perChannel), b.Scalar(perChannel - 1, batchVar.DType));
        b.AddStateUpdate(runningMean, Blend(b, runningMean, b.Cast(batchMean, x.DType), momentum));
        b.AddStateUpdate(runningVar, Blend(b, runningVar, b.Cast(unbiased, x.DType), momentum));
        return y;
    }

    private static Node Blend(GraphBuilder b, Node old, Node batch, double momentum) =>
        b.Add(b.Scale(old, 1 - momentum), b.Scale(batch, momentum));
}
