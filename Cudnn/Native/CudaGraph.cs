using System.Runtime.InteropServices;

namespace StaticGraph.Cuda.Native;

/// <summary>A captured CUDA graph (<c>CUgraph</c>) from <see cref="CudaStream.EndCapture"/>; released with <c>cuGraphDestroy</c>.</summary>
internal sealed class CudaGraph : SafeHandle
{
    private CudaGraph() : base(0, true) { }

    /// <inheritdoc/>
    public override bool IsInvalid => handle == 0;

    internal static CudaGraph FromHandle(nint raw)
    {
        var graph = new CudaGraph();
        graph.SetHandle(raw);
        return graph;
    }

    /// <summary>
    /// Builds the executable graph (<c>cuGraphInstantiateWithFlags</c>, flags 0). The graph itself may be disposed afterwards:
    /// the executable graph does not depend on it.
    /// </summary>
    public CudaGraphExec Instantiate()
    {
        CudaDriver.Check(CudaDriverNative.cuGraphInstantiateWithFlags(out var raw, DangerousGetHandle(), 0), "cuGraphInstantiateWithFlags");
        return CudaGraphExec.FromHandle(raw);
    }

    /// <inheritdoc/>
    protected override bool ReleaseHandle() => CudaDriverNative.cuGraphDestroy(handle) == 0;
}

/// <summary>An executable graph (<c>CUgraphExec</c>); released with <c>cuGraphExecDestroy</c>.</summary>
internal sealed class CudaGraphExec : SafeHandle
{
    private CudaGraphExec() : base(0, true) { }

    /// <inheritdoc/>
    public override bool IsInvalid => handle == 0;

    internal static CudaGraphExec FromHandle(nint raw)
    {
        var exec = new CudaGraphExec();
        exec.SetHandle(raw);
        return exec;
    }

    /// <summary>Queues one run of the whole graph on <paramref name="stream"/> (<c>cuGraphLaunch</c>); never synchronises.</summary>
    public void Launch(CudaStream stream) =>
        CudaDriver.Check(CudaDriverNative.cuGraphLaunch(DangerousGetHandle(), stream.DangerousGetHandle()), "cuGraphLaunch");

    /// <inheritdoc/>
    protected override bool ReleaseHandle() => CudaDriverNative.cuGraphExecDestroy(handle) == 0;
}
