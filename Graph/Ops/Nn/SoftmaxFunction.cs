namespace StaticGraph.Ops;

/// <summary>Which normalisation <see cref="SoftmaxOp"/> computes along the last axis.</summary>
public enum SoftmaxFunction
{
    /// <summary>exp(x_j) / sum_k exp(x_k): probabilities.</summary>
    Softmax,
    /// <summary>x_j - log sum_k exp(x_k): log-probabilities, exact where the softmax would underflow.</summary>
    LogSoftmax,
}
