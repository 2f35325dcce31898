namespace StaticGraph;

/// <summary>
/// The batch-normalisation layer: scale and shift parameters, running statistics as state, and
/// their update (an exponential moving average of the batch moments) registered as a state update
/// that training programs apply after each step.
/// </summary>
public static class BatchNormLayer
{
    /// <summary>BN over the channels of [N,C,H,W]; PyTorch's momentum convention (new = (1-m)*old + m*batch).</summary>
    public static Node BatchNorm(this GraphBuilder b, Node x, double momentum = 0.1, double eps = 1e-5, string name = "bn")
    {
        if (x.Shape.Rank != 4) throw new GraphBuildException($"batch norm layer '{b.Qualify(name)}': expected an input [N,C,H,W], got {x}: {x.Type}");
        using var _ = b.FreshScope(name);
        var c = x.Shape[1];
        var gamma = b.Parameter("weight", Initializer.Ones, [c], normOrBias: true, dtype: x.DType);
        var beta = b.Parameter("bias", Initializer.Zeros, [c], normOrBias: true, dtype: x.DType);
        var runningMean = b.State("running_mean", Initializer.Zeros, [c], x.DType);
        var runningVar = b.State("running_var", Initializer.Ones, [c], x.DType);
        var y = b.BatchNormRaw(x, gamma, beta, runningMean, runningVar, eps);

        var moments = b.ChannelMoments(x);
        var batchMean = b.Reshape(b.Slice(moments, 0, 0, 1), c);
        var batchVar = b.Reshape(b.Slice(moments, 0, 1, 2), c);
        b.AddStateUpdate(runningMean, Blend(b, runningMean, batchMean, momentum));
        b.AddStateUpdate(runningVar, Blend(b, runningVar, batchVar, momentum));
        return y;
    }

    private static Node Blend(GraphBuilder b, Node old, Node batch, double momentum) =>
        b.Add(b.Scale(old, 1 - momentum), b.Scale(batch, momentum));
}
