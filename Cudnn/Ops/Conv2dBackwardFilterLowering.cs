using StaticGraph.Cuda.Kernels;
using StaticGraph.Cuda.Lowering;
using StaticGraph.Ops;

namespace StaticGraph.Cuda.Ops;

/// <summary>
/// Convolution filter gradient: one cuDNN backward-filter convolution writing the filter's place (our output) from the
/// forward input (input 0) and the output gradient (dy, input 1).
/// </summary>
[CudaLoweringFor(typeof(Conv2dBackwardFilterOp))]
internal sealed class Conv2dBackwardFilterLowering : ICudaLowering
{
    public void Lower(LoweringContext ctx)
    {
        var op = (Conv2dBackwardFilterOp)ctx.Node.Op;
        var x = ctx.Node.Inputs[0];
        ctx.Emit(new ConvolutionCommand(ctx.Node, ConvolutionDirection.BackwardFilter, Conv2dGeometry.Of(x.Shape, op.FilterShape, op.Window, op.Groups),
            ctx.Node.DType, X: ctx.Input(0), W: ctx.Output, Y: ctx.Input(1)));
    }
}
