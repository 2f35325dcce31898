using StaticGraph.Cuda.Kernels;
using StaticGraph.Cuda.Lowering;
using StaticGraph.Cuda.Native;
using StaticGraph.Ops;

namespace StaticGraph.Cuda.Ops;

/// <summary>
/// Convolution filter gradient: one cuDNN backward-filter convolution writing the filter's place (our output) from the
/// forward input (input 0) and the output gradient (dy, input 1). In mixed precision x and dy are converted to 16 bits
/// (dy multiplied by the loss scale in FP16) and the 16-bit dw back to f32 (divided by it).
/// </summary>
[CudaLoweringFor(typeof(Conv2dBackwardFilterOp))]
internal sealed class Conv2dBackwardFilterLowering : ICudaLowering
{
    public void Lower(LoweringContext ctx)
    {
        var op = (Conv2dBackwardFilterOp)ctx.Node.Op;
        var x = ctx.Node.Inputs[0];
        MixedPrecision.Convolution(ctx, ConvolutionDirection.BackwardFilter, Conv2dGeometry.Of(x.Shape, op.FilterShape, op.Window, op.Groups),
            x: ctx.Input(0), w: ctx.Output, y: ctx.Input(1));
    }
}
