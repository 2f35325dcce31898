using StaticGraph.Cuda.Kernels;
using StaticGraph.Cuda.Lowering;
using StaticGraph.Cuda.Native;
using StaticGraph.Ops;

namespace StaticGraph.Cuda.Ops;

/// <summary>
/// Convolution input gradient: one cuDNN backward-data convolution writing the forward input's place (our output) from
/// the forward output's (dy, input 0) and the filter (input 1). In mixed precision dy and w are converted to 16 bits
/// (dy multiplied by the loss scale in FP16) and the 16-bit dx back to f32 (divided by it).
/// </summary>
[CudaLoweringFor(typeof(Conv2dBackwardDataOp))]
internal sealed class Conv2dBackwardDataLowering : ICudaLowering
{
    public void Lower(LoweringContext ctx)
    {
        var op = (Conv2dBackwardDataOp)ctx.Node.Op;
        var w = ctx.Node.Inputs[1];
        MixedPrecision.Convolution(ctx, ConvolutionDirection.BackwardData, Conv2dGeometry.Of(op.InputShape, w.Shape, op.Window, op.Groups),
            x: ctx.Output, w: ctx.Input(1), y: ctx.Input(0));
    }
}
