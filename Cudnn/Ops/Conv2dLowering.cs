using StaticGraph.Cuda.Kernels;
using StaticGraph.Cuda.Lowering;
using StaticGraph.Cuda.Native;
using StaticGraph.Ops;

namespace StaticGraph.Cuda.Ops;

/// <summary>
/// Convolution: one cuDNN forward convolution (x is input 0, w input 1, y the output); cuDNN does it best. In mixed
/// precision x and w are converted to 16 bits first and the 16-bit y back to f32 (<see cref="MixedPrecision"/>).
/// </summary>
[CudaLoweringFor(typeof(Conv2dOp))]
internal sealed class Conv2dLowering : ICudaLowering
{
    public void Lower(LoweringContext ctx)
    {
        var op = (Conv2dOp)ctx.Node.Op;
        var (x, w) = (ctx.Node.Inputs[0], ctx.Node.Inputs[1]);
        MixedPrecision.Convolution(ctx, ConvolutionDirection.Forward, Conv2dGeometry.Of(x.Shape, w.Shape, op.Window, op.Groups),
            x: ctx.Input(0), w: ctx.Input(1), y: ctx.Output);
    }
}
