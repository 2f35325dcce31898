using StaticGraph.Cuda.Lowering;
using StaticGraph.Cuda.Native;

namespace StaticGraph.Cuda.Backend;

/// <summary>An <c>ncclAllReduce</c> (sum) with its buffers resolved, queued on the step's stream (capturable, NCCL 2.9 and later).</summary>
internal sealed class NcclAllReduceRunner(NcclAllReduceCommand command, NcclComm comm, Func<DeviceAddress, ulong> resolve) : ICommandRunner
{
    private readonly ulong _from = resolve(command.From);
    private readonly ulong _to = resolve(command.To);
    private readonly int _type = command.DType switch
    {
        DType.F32 => NcclNative.Float32,
        DType.F64 => NcclNative.Float64,
        _ => throw new NotSupportedException($"{command.Node}: NCCL all-reduces f32 and f64 here, not {command.DType.ShortName()}"),
    };

    public CudaCommand Command => command;

    public void Issue(CudaStream stream) =>
        Nccl.Check(NcclNative.ncclAllReduce(_from, _to, (nuint)command.Count, _type, NcclNative.Sum, comm.Handle, stream.DangerousGetHandle()),
            $"ncclAllReduce of {command.Node}");
}
