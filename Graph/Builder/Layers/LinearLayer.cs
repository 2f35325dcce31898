namespace StaticGraph;

/// <summary>The fully connected layer: y = x W^T + b.</summary>
public static class LinearLayer
{
    /// <summary>
    /// [N, in] to [N, outFeatures]; the weight is uniform in ±1/sqrt(in) (PyTorch's default) and the
    /// bias starts at zero.
    /// </summary>
    public static Node Linear(this GraphBuilder b, Node x, int outFeatures, bool bias = true, string name = "fc")
    {
        if (x.Shape.Rank != 2) throw new GraphBuildException($"linear layer '{b.Qualify(name)}': expected an input [N,features], got {x}: {x.Type}");
        using var _ = b.FreshScope(name);
        var inFeatures = x.Shape[1];
        var w = b.Parameter("weight", Initializer.Uniform(1 / Math.Sqrt(inFeatures)), [outFeatures, inFeatures], dtype: x.DType);
        var y = b.MatMul(x, w, transposeB: true);
        if (!bias) return y;
        var bvec = b.Parameter("bias", Initializer.Zeros, [outFeatures], normOrBias: true, dtype: x.DType);
        return b.Add(y, bvec);
    }
}
