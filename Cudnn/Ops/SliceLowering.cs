using StaticGraph.Cuda.Kernels;
using StaticGraph.Cuda.Lowering;
using StaticGraph.Ops;

namespace StaticGraph.Cuda.Ops;

/// <summary>Slice: the strided copy of the output box, reading the input from the slice's first element with its strides.</summary>
[CudaLoweringFor(typeof(SliceOp))]
internal sealed class SliceLowering : ICudaLowering
{
    public void Lower(LoweringContext ctx)
    {
        var op = (SliceOp)ctx.Node.Op;
        var (x, y) = (ctx.Node.Inputs[0], ctx.Node);
        var xStrides = x.Shape.Strides();
        long origin = 0;
        for (var d = 0; d < xStrides.Length; d++) origin += op.Starts[d] * xStrides[d];
        var extents = StridedCopyKernel.Extents(y.Shape);
        StridedCopyKernel.Launch(ctx, y.DType, ctx.Input(0).Plus(origin * y.DType.SizeInBytes()), ctx.Output, extents,
            y.Shape.Strides(), xStrides, new long[extents.Length], extents);
    }
}
