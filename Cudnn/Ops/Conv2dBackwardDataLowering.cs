using StaticGraph.Cuda.Kernels;
using StaticGraph.Cuda.Lowering;
using StaticGraph.Ops;

namespace StaticGraph.Cuda.Ops;

/// <summary>
/// Convolution input gradient: one cuDNN backward-data convolution writing the forward input's place (our output) from
/// the forward output's (dy, input 0) and the filter (input 1).
/// </summary>
[CudaLoweringFor(typeof(Conv2dBackwardDataOp))]
internal sealed class Conv2dBackwardDataLowering : ICudaLowering
{
    public void Lower(LoweringContext ctx)
    {
        var op = (Conv2dBackwardDataOp)ctx.Node.Op;
        var w = ctx.Node.Inputs[1];
        ctx.Emit(new ConvolutionCommand(ctx.Node, ConvolutionDirection.BackwardData, Conv2dGeometry.Of(op.InputShape, w.Shape, op.Window, op.Groups),
            ctx.Node.DType, X: ctx.Output, W: ctx.Input(1), Y: ctx.Input(0)));
    }
}
