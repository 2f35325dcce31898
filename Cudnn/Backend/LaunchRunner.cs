using StaticGraph.Cuda.Lowering;
using StaticGraph.Cuda.Native;

namespace StaticGraph.Cuda.Backend;

/// <summary>A kernel launch with its argument block packed once, pointers resolved.</summary>
internal sealed unsafe class LaunchRunner(LaunchCommand command, CudaFunction function, Func<DeviceAddress, ulong> resolve) : ICommandRunner, IDisposable
{
    private readonly KernelArgBlock _args = new(command.Args, resolve);

    public CudaCommand Command => command;

    public void Issue(CudaStream stream) =>
        function.Launch((command.Blocks, 1, 1), (LaunchCommand.BlockSize, 1, 1), stream, _args.Pointers);

    public void Dispose() => _args.Dispose();
}
