using StaticGraph.Cuda.Lowering;
using StaticGraph.Cuda.Native;

namespace StaticGraph.Cuda.Backend;

/// <summary>A device-to-device copy.</summary>
internal sealed class CopyRunner(CopyCommand command, Func<DeviceAddress, ulong> resolve) : ICommandRunner
{
    private readonly ulong _from = resolve(command.From);
    private readonly ulong _to = resolve(command.To);

    public CudaCommand Command => command;

    public void Issue(CudaStream stream) => CudaDriver.CopyDeviceToDeviceAsync(_to, _from, command.Bytes, stream);
}
