using StaticGraph.Cuda.Kernels;
using StaticGraph.Cuda.Lowering;
using StaticGraph.Ops;

namespace StaticGraph.Cuda.Ops;

/// <summary>
/// The mean over the ranks: one <see cref="NcclAllReduceCommand"/> (the sum, input to output) and one launch of
/// <c>sg_divide_*</c> dividing by the world size, as the CPU kernel does (sum, then divide; bitwise the same step for two
/// ranks, where both sums are x0 + x1). Both are queued on the step's stream and captured in its graph.
/// </summary>
[CudaLoweringFor(typeof(AllReduceOp))]
internal sealed class AllReduceLowering : ICudaLowering
{
    public void Lower(LoweringContext ctx)
    {
        var op = (AllReduceOp)ctx.Node.Op;
        var count = ctx.Node.Shape.ElementCount;
        ctx.Emit(new NcclAllReduceCommand(ctx.Node, ctx.Input(0), ctx.Output, count, ctx.Node.DType));
        ctx.Launch(Divide(ctx.Type), count, ctx.OutputArg, KernelArg.I64(count), KernelArg.Scalar(ctx.Type, op.World));
    }

    /// <summary><c>y[i] = y[i] / d</c> in place, one thread per element.</summary>
    public static CudaKernelSource Divide(KernelType type) =>
        CudaKernelSource.Create($"sg_divide_{type.Suffix()}", [new($"{type.C()}* __restrict__", "y"), KernelTypes.Count, new(type.C(), "d")],
            $$"""
                {{KernelTypes.IndexLoop}}
                {
                    y[i] = y[i] / d;
                }
            """);
}
