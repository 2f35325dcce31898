using StaticGraph.Cuda.Kernels;
using StaticGraph.Cuda.Lowering;
using StaticGraph.Ops;

namespace StaticGraph.Cuda.Ops;

/// <summary>Pad: the strided copy of the whole output, reading the input where it lies and the padding value elsewhere.</summary>
[CudaLoweringFor(typeof(PadOp))]
internal sealed class PadLowering : ICudaLowering
{
    public void Lower(LoweringContext ctx)
    {
        var op = (PadOp)ctx.Node.Op;
        var (x, y) = (ctx.Node.Inputs[0], ctx.Node);
        StridedCopyKernel.Launch(ctx, y.DType, ctx.Input(0), ctx.Output, StridedCopyKernel.Extents(y.Shape), y.Shape.Strides(),
            x.Shape.Strides(), op.Before.Select(b => (long)b).ToArray(), StridedCopyKernel.Extents(x.Shape), op.Value);
    }
}
