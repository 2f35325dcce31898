namespace StaticGraph.Cuda.Native;

/// <summary>The three directions of a convolution, each with its own algorithm enum.</summary>
public enum ConvolutionDirection
{
    /// <summary>y from x and w (<see cref="CudnnConvolutionFwdAlgo"/>).</summary>
    Forward,

    /// <summary>dx from w and dy (<see cref="CudnnConvolutionBwdDataAlgo"/>).</summary>
    BackwardData,

    /// <summary>dw from x and dy (<see cref="CudnnConvolutionBwdFilterAlgo"/>).</summary>
    BackwardFilter,
}

/// <summary>No perf result qualified; the message lists each result and why it was rejected.</summary>
public sealed class NoConvolutionAlgorithmException(string message) : InvalidOperationException(message);

/// <summary>
/// Chooses a convolution algorithm from cuDNN's perf results (pure logic, no library): the first result, in cuDNN's order
/// (fastest first), that succeeded, satisfies the determinism requirement, fits the workspace limit and was measured with
/// the math type that will run (cuDNN's search also tries other math types: an FP32 result found with TF32 tensor-core
/// math, run with FMA math, could fail or need another workspace); the other qualifying results follow in order as
/// fallbacks for a run-time failure.
/// </summary>
internal static class ConvolutionAlgorithms
{
    /// <summary>
    /// Whether <paramref name="algo"/> may be used when results must be reproducible: backward data excludes ALGO_0,
    /// backward filter excludes ALGO_0 and ALGO_3 (atomics); every forward algorithm may be. The perf result's own
    /// determinism flag is checked as well, by <see cref="Rejection"/>.
    /// </summary>
    public static bool AllowedWhenDeterministic(ConvolutionDirection direction, int algo) => direction switch
    {
        ConvolutionDirection.BackwardData => algo != (int)CudnnConvolutionBwdDataAlgo.Algo0,
        ConvolutionDirection.BackwardFilter => algo != (int)CudnnConvolutionBwdFilterAlgo.Algo0 && algo != (int)CudnnConvolutionBwdFilterAlgo.Algo3,
        _ => true,
    };

    /// <summary>Why <paramref name="perf"/> does not qualify, or null when it does.</summary>
    /// <remarks><paramref name="requiredMath"/>: the math type the convolution will run with, when it is fixed (FMA for FP32
    /// without TF32); null lets the result's own math type run.</remarks>
    public static string? Rejection(ConvolutionDirection direction, ConvolutionAlgoPerf perf, bool deterministic, long workspaceLimit,
        CudnnMathType? requiredMath = null)
    {
        if (perf.Status != CudnnStatus.Success) return $"status {CudnnStatus.Describe(perf.Status)}";
        if (requiredMath is { } math && perf.MathType != math) return $"measured with {perf.MathType} math, but {math} will run";
        if (deterministic && !AllowedWhenDeterministic(direction, perf.Algo)) return "non-deterministic algorithm";
        if (deterministic && perf.Determinism != CudnnDeterminism.Deterministic) return "reported non-deterministic";
        if (perf.Memory < 0 || perf.Memory > workspaceLimit) return $"workspace {perf.Memory} bytes > limit {workspaceLimit}";
        return null;
    }

    /// <summary>Every qualifying result, in the given order: the choice first, then the fallbacks.</summary>
    public static IReadOnlyList<ConvolutionAlgoPerf> Candidates(ConvolutionDirection direction, IEnumerable<ConvolutionAlgoPerf> perfs, bool deterministic,
        long workspaceLimit, CudnnMathType? requiredMath = null) =>
        [.. perfs.Where(p => Rejection(direction, p, deterministic, workspaceLimit, requiredMath) is null)];

    /// <summary>The first qualifying result; throws <see cref="NoConvolutionAlgorithmException"/> naming every rejection when none qualifies.</summary>
    public static ConvolutionAlgoPerf Choose(ConvolutionDirection direction, IReadOnlyList<ConvolutionAlgoPerf> perfs, bool deterministic, long workspaceLimit,
        CudnnMathType? requiredMath = null)
    {
        var candidates = Candidates(direction, perfs, deterministic, workspaceLimit, requiredMath);
        if (candidates.Count > 0) return candidates[0];
        var reasons = perfs.Count == 0
            ? "cuDNN returned no perf results"
            : string.Join("; ", perfs.Select(p => $"{AlgoName(direction, p.Algo)}: {Rejection(direction, p, deterministic, workspaceLimit, requiredMath)}"));
        throw new NoConvolutionAlgorithmException(
            $"no {direction} convolution algorithm qualifies (deterministic: {deterministic}, workspace limit {workspaceLimit} bytes{(requiredMath is { } m ? $", {m} math" : "")}): {reasons}");
    }

    /// <summary>The enum name of an algorithm of <paramref name="direction"/>, e.g. <c>Algo3</c>.</summary>
    public static string AlgoName(ConvolutionDirection direction, int algo) => direction switch
    {
        ConvolutionDirection.Forward => ((CudnnConvolutionFwdAlgo)algo).ToString(),
        ConvolutionDirection.BackwardData => ((CudnnConvolutionBwdDataAlgo)algo).ToString(),
        _ => ((CudnnConvolutionBwdFilterAlgo)algo).ToString(),
    };
}
