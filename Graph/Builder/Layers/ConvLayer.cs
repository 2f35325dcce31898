namespace StaticGraph;

/// <summary>The convolution layer: a weight parameter (He normal, fan-out) and the conv2d op.</summary>
public static class ConvLayer
{
    /// <summary>
    /// A 2-D convolution of <paramref name="x"/> [N,C,H,W] to <paramref name="outChannels"/> channels
    /// with a square kernel; the weight is named "{name}.weight" in the current scope.
    /// </summary>
    public static Node Conv2d(this GraphBuilder b, Node x, int outChannels, int kernel, int stride = 1, int padding = 0,
        int groups = 1, int dilation = 1, bool bias = false, string name = "conv")
    {
        if (x.Shape.Rank != 4) throw new GraphBuildException($"conv layer '{b.Qualify(name)}': expected an input [N,C,H,W], got {x}: {x.Type}");
        if (groups <= 0 || x.Shape[1] % groups != 0 || outChannels % groups != 0)
            throw new GraphBuildException($"conv layer '{b.Qualify(name)}': groups={groups} must divide the input channels {x.Shape[1]} and the output channels {outChannels}");
        using var _ = b.FreshScope(name);
        // He initialisation with fan-out, as the ResNet family is initialised in the literature.
        var w = b.Parameter("weight", Initializer.HeNormal(outChannels * kernel * kernel), [outChannels, x.Shape[1] / groups, kernel, kernel], dtype: x.DType);
        var y = b.Conv2dRaw(x, w, stride, padding, dilation, groups);
        if (!bias) return y;
        var bvec = b.Parameter("bias", Initializer.Zeros, [outChannels], normOrBias: true, dtype: x.DType);
        return b.Add(y, b.Reshape(bvec, 1, outChannels, 1, 1));
    }
}
