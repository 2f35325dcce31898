using System.Numerics;
using StaticGraph.Distributed;

namespace StaticGraph.Backend.Cpu;

/// <summary>
/// The mean over the ranks: the input copied to the output, summed there across the ranks by the communicator (a fixed
/// order, <see cref="RingAllReduce"/>; MPI moves the bytes under <c>mpirun</c>), then divided by the world size.
/// </summary>
[CpuKernelFor(typeof(AllReduceOp))]
internal sealed unsafe class AllReduceKernel<T>(CpuKernelArgs args) : CpuKernel
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly CpuTensor _x = args.Inputs[0], _y = args.Output;
    private readonly T _world = T.CreateChecked(((AllReduceOp)args.Node.Op).World);
    private readonly ICommunicator _communicator = args.Communicator
        ?? throw new NotSupportedException($"{GraphPrinter.Line(args.Node)}: the CPU kernel of all_reduce needs a communicator");

    public override void Run(CpuContext ctx)
    {
        var y = _y.Span<T>();
        _x.Span<T>().CopyTo(y);
        _communicator.AllReduceSum(y);
        System.Numerics.Tensors.TensorPrimitives.Divide(y, _world, y);
    }
}
