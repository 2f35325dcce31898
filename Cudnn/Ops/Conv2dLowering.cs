using StaticGraph.Cuda.Kernels;
using StaticGraph.Cuda.Lowering;
using StaticGraph.Ops;

namespace StaticGraph.Cuda.Ops;

/// <summary>Convolution: one cuDNN forward convolution (x is input 0, w input 1, y the output); cuDNN does it best.</summary>
[CudaLoweringFor(typeof(Conv2dOp))]
internal sealed class Conv2dLowering : ICudaLowering
{
    public void Lower(LoweringContext ctx)
    {
        var op = (Conv2dOp)ctx.Node.Op;
        var (x, w) = (ctx.Node.Inputs[0], ctx.Node.Inputs[1]);
        ctx.Emit(new ConvolutionCommand(ctx.Node, ConvolutionDirection.Forward, Conv2dGeometry.Of(x.Shape, w.Shape, op.Window, op.Groups),
            ctx.Node.DType, X: ctx.Input(0), W: ctx.Input(1), Y: ctx.Output));
    }
}
