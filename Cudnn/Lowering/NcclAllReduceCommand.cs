namespace StaticGraph.Cuda.Lowering;

/// <summary>
/// An NCCL sum over the ranks of a data-parallel run: <c>ncclAllReduce(From, To, Count, DType, ncclSum)</c> on the step's
/// stream, so it is captured in the step's CUDA graph with everything else. The host emulator runs it through the host
/// communicator, which sums in its own fixed order.
/// </summary>
/// <param name="Node">The <c>all_reduce</c> node.</param>
/// <param name="From">The values summed.</param>
/// <param name="To">Where every rank gets the sum (may equal <paramref name="From"/>).</param>
/// <param name="Count">Elements.</param>
/// <param name="DType">f32 or f64.</param>
public sealed record NcclAllReduceCommand(Node Node, DeviceAddress From, DeviceAddress To, long Count, DType DType) : CudaCommand(Node);
