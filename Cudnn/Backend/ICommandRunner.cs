using StaticGraph.Cuda.Lowering;
using StaticGraph.Cuda.Native;

namespace StaticGraph.Cuda.Backend;

/// <summary>A planned command made ready for the device: everything resolved and allocated, so issuing it only queues work.</summary>
internal interface ICommandRunner
{
    /// <summary>The command run.</summary>
    CudaCommand Command { get; }

    /// <summary>Queues the command on <paramref name="stream"/>; never synchronises (so it can be captured into a graph).</summary>
    void Issue(CudaStream stream);
}
