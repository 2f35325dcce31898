using StaticGraph.Cuda.Kernels;
using StaticGraph.Cuda.Lowering;
using StaticGraph.Ops;

namespace StaticGraph.Cuda.Ops;

/// <summary>
/// Concat: one strided copy per input, writing its box into the output at its offset along the axis with the output's
/// strides (the blocks are not contiguous in the output unless the axis is the first, so a plain copy would not do).
/// </summary>
[CudaLoweringFor(typeof(ConcatOp))]
internal sealed class ConcatLowering : ICudaLowering
{
    public void Lower(LoweringContext ctx)
    {
        var y = ctx.Node;
        var axis = ((ConcatOp)y.Op).NormalisedAxis(y.Shape.Rank);
        var yStrides = y.Shape.Strides();
        long start = 0;
        for (var i = 0; i < y.Inputs.Count; i++)
        {
            var x = y.Inputs[i];
            var extents = StridedCopyKernel.Extents(x.Shape);
            StridedCopyKernel.Launch(ctx, y.DType, ctx.Input(i), ctx.Output.Plus(start * yStrides[axis] * y.DType.SizeInBytes()), extents,
                yStrides, x.Shape.Strides(), new long[extents.Length], extents);
            start += x.Shape[axis];
        }
    }
}
